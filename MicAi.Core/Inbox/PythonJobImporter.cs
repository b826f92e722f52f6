using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MicAi.Core.Outbox;
using MicAi.Core.Queue;
using MicAi.Core.WhatsApp;
using Microsoft.Extensions.Logging;

namespace MicAi.Core.Inbox;

/// <summary>
/// A job the Python mic.ai service left in its Redis list becomes MicAi's: <c>outbound.send_text</c> a ledger row under
/// its own idempotency key (so a key Python already sent, imported by migrate, is never sent again) plus a send job;
/// <c>inbound.process_message</c> a stored message (its id is the dedupe key) plus an inbound job, answered once;
/// <c>scheduler.dispatch_due</c> is dropped (MicAi's scheduler finds due schedules itself). Anything unreadable becomes
/// a dead job holding the item as it was, so nothing is dropped unseen. Every step is idempotent, so an item imported
/// twice (a crash before it left the list) changes nothing more; the extra queue job finds its work done.
/// </summary>
public sealed class PythonJobImporter(
    InboundStore inbound, OutboundLedger ledger, JobStream stream, DeadJobStore dead, WhatsAppSettings whatsApp,
    OutboundSettings outbound, TimeProvider time, ILogger<PythonJobImporter> log) : IPythonJobImporter
{
    public async Task ImportAsync(string json, CancellationToken ct)
    {
        var (type, payload) = Read(json);
        var job = type switch
        {
            "outbound.send_text" when Text(payload, "idempotency_key") is { } key && Text(payload, "wa_id") is { } waId =>
                await SendAsync(key, waId, Text(payload, "body"), Text(payload, "template_name"), ct),
            "inbound.process_message" when Text(payload, "message_id") is { } wamid && Text(payload, "wa_id") is { } waId =>
                await ReceiveAsync(wamid, waId, Text(payload, "text"), json, ct),
            "scheduler.dispatch_due" => null,
            _ => await DeadAsync(type, json, ct),
        };
        if (job is not null) await stream.EnqueueAsync([job]);
        InboxLog.PythonJobImported(log, type ?? "unreadable", job?.Type ?? "none");
    }

    private async Task<Job> SendAsync(string key, string waId, string? body, string? template, CancellationToken ct)
    {
        await ledger.InsertAsync(new OutboundDraft(key, waId, whatsApp.PhoneNumberId, template is null ? "text" : "template", body,
            TemplateName: template, TemplateLanguage: template is null ? null : outbound.TemplateLanguage), ct);
        return Job.New(JobTypes.Send, key, time.GetUtcNow());
    }

    private async Task<Job> ReceiveAsync(string wamid, string waId, string? text, string json, CancellationToken ct)
    {
        // The Python webhook stored no payload of Meta's: the job itself is kept as the message's payload.
        await inbound.InsertNewAsync([new InboundMessage(wamid, whatsApp.PhoneNumberId, waId, waId, null, null, "text", text,
            Answerable: true, time.GetUtcNow(), null, json)], ct);
        return Job.New(JobTypes.Inbound, wamid, time.GetUtcNow());
    }

    private async Task<Job?> DeadAsync(string? type, string json, CancellationToken ct)
    {
        // The same item always gets the same id, so importing it twice leaves one dead job.
        var id = "python-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)))[..32];
        await dead.AddAsync(new Job(id, "python:" + (type ?? "unreadable"), json, 1, time.GetUtcNow()),
            "a job the Python mic.ai service left in its Redis list that MicAi cannot take over (unknown type or missing fields)", ct);
        return null;
    }

    private static (string? Type, JsonElement Payload) Read(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return (null, default);
            var type = root.TryGetProperty("job_type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            var payload = root.TryGetProperty("payload", out var p) && p.ValueKind == JsonValueKind.Object ? p.Clone() : default;
            return (type, payload);
        }
        catch (JsonException)
        {
            return (null, default);
        }
    }

    private static string? Text(JsonElement payload, string name) =>
        payload.ValueKind == JsonValueKind.Object && payload.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            && v.GetString() is { Length: > 0 } s ? s : null;
}

using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MicAi.Core.Http;
using MicAi.Core.Outbox;

namespace MicAi.Core.Operators;

/// <summary>The body of POST /admin/contacts/{wa_id}/messages: exactly one of <c>text</c> or <c>template</c>.</summary>
public sealed record OperatorSendInput : IValidatable
{
    public string? Text { get; init; }
    public TemplateInput? Template { get; init; }

    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if ((Text is null) == (Template is null)) errors["text"] = ["give exactly one of text or template"];
        if (Text is not null && (string.IsNullOrWhiteSpace(Text) || Text.Length > 4096)) errors["text"] = ["non-blank, at most 4096 characters"];
        Template?.Validate("template", errors);
        return errors;
    }

    /// <summary>What identifies the request for Idempotency-Key: the contact and the body as read (hex SHA-256).</summary>
    public string Hash(string waId) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(waId + "\n" + JsonSerializer.Serialize(this, ApiJson.Options))));
}

/// <summary>The body of POST /admin/outbound/messages/{key}/resolve: what to do with a send whose outcome is unknown.</summary>
public sealed record ResolveInput : IValidatable
{
    /// <summary><c>mark_failed</c> (it did not arrive) or <c>resend</c> (send it again under a new key linked to the old row).</summary>
    public string? Action { get; init; }

    public Dictionary<string, string[]> Validate() =>
        Action is "mark_failed" or "resend" ? [] : new() { ["action"] = ["one of mark_failed, resend"] };
}

/// <summary>The body of PUT /admin/contacts/{wa_id}/handover.</summary>
public sealed record HandoverInput : IValidatable
{
    public bool? Active { get; init; }

    /// <summary>How long the bot stays quiet; absent: until released.</summary>
    public int? Minutes { get; init; }

    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (Active is null) errors["active"] = ["required: true or false"];
        if (Minutes is not null && Active == false) errors["minutes"] = ["only when active is true"];
        if (Minutes is <= 0 or > 525600) errors["minutes"] = ["from 1 to 525600 (a year)"];
        return errors;
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using MicAi.Core.WhatsApp;

namespace MicAi.Bench;

/// <summary>One signed delivery, ready to POST.</summary>
public sealed record Webhook(string Wamid, string From, byte[] Body, string Signature, bool IsDuplicate);

/// <summary>
/// Meta-shaped text-message deliveries of 1–3 KB: the real envelope, a realistic profile name, a body long enough to
/// reach the size, a sender drawn from a large pool, a unique wamid each, and
/// optionally a share of byte-identical redeliveries (Meta retries). Messages take turns among the business numbers.
/// </summary>
public sealed class Payloads(string appSecret, IReadOnlyList<string> phoneNumberIds, double duplicateRatio, int seed = 7)
{
    private static readonly string[] Names =
    [
        "Ana Sofía Gonçalves", "Mohammed Al-Rashid", "Priya Raghunathan 🌸", "João Pedro Nascimento", "Zhang Wei",
        "Olúwadámilọ́lá Adébáyọ̀", "Emily O'Connor", "Nguyễn Thị Minh Khai", "Łukasz Wiśniewski", "Fatima Zahra ✨",
    ];
    private static readonly string[] Words =
    [
        "hello", "order", "delivery", "tomorrow", "please", "could", "you", "check", "status", "of", "my", "package",
        "thanks", "olá", "obrigado", "quando", "chega", "invoice", "number", "address", "changed", "to", "street",
        "apartment", "😊", "👍", "the", "and", "need", "help", "with", "refund", "pedido", "ainda", "não", "chegou",
    ];

    private readonly Random random = new(seed);
    private readonly string run = Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
    // JSON escaping is per character, so a body's encoded size is the sum of its words' encoded sizes.
    private static readonly int[] WordBytes = Words.Select(w => JsonSerializer.Serialize(w + " ").Length - 2).ToArray();
    private readonly Webhook?[] recent = new Webhook?[1024];
    private readonly Lock gate = new();
    private long counter;

    /// <summary>Thread-safe. With probability duplicateRatio, a byte-identical copy of a recent delivery.</summary>
    public Webhook Next()
    {
        lock (gate)
        {
            var n = counter;
            if (n > 0 && random.NextDouble() < duplicateRatio && recent[random.Next((int)Math.Min(n, recent.Length))] is { } again)
                return again with { IsDuplicate = true };
            counter++;
            var webhook = Build(n);
            recent[n % recent.Length] = webhook;
            return webhook;
        }
    }

    private Webhook Build(long n)
    {
        // Senders from a pool of 100 million: a reply is almost never held back by the per-recipient spacing.
        var from = "5511" + random.Next(900_000_000, 1_000_000_000).ToString(CultureInfo.InvariantCulture);
        // Real wamids are "wamid." + base64 of a protobuf holding the sender and a message id.
        var wamid = "wamid.HBgN" + Convert.ToBase64String(Encoding.ASCII.GetBytes($"{from}FQIAEhgU{run}{n:D10}")).TrimEnd('=');
        var name = Names[random.Next(Names.Length)];
        var phoneNumberId = phoneNumberIds[(int)(n % phoneNumberIds.Count)];
        var target = random.Next(1024, 3072);
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

        var head = $$"""
            {"object":"whatsapp_business_account","entry":[{"id":"102938475610293","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111","phone_number_id":"{{phoneNumberId}}"},"contacts":[{"profile":{"name":{{JsonSerializer.Serialize(name)}}},"wa_id":"{{from}}"}],"messages":[{"from":"{{from}}","id":"{{wamid}}","timestamp":"{{ts}}","type":"text","text":{"body":
            """;
        const string tail = """}}]},"field":"messages"}]}]}""";
        var text = new StringBuilder("michael: ");
        for (var size = head.Length + tail.Length + text.Length + 2; size < target;)
        {
            var w = random.Next(Words.Length);
            text.Append(Words[w]).Append(' ');
            size += WordBytes[w];
        }
        var body = Encoding.UTF8.GetBytes(head + JsonSerializer.Serialize(text.ToString().TrimEnd()) + tail);
        return new Webhook(wamid, from, body, Sign(body), false);
    }

    private string Sign(byte[] body) => WebhookSignature.Compute(appSecret, body);
}

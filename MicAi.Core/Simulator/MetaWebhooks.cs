using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;

namespace MicAi.Core.Simulator;

/// <summary>
/// Webhook bodies shaped as Meta delivers them (compact JSON; see MicAi.Tests/TestData/meta/webhooks): a customer's
/// message — with <c>from</c>/<c>wa_id</c> for a phone user, or empty ones and <c>from_user_id</c>/<c>user_id</c> for a
/// username-only user — and a delivery status of one of the bot's messages, echoing <c>biz_opaque_callback_data</c>.
/// </summary>
public static class MetaWebhooks
{
    /// <summary>The simulated WhatsApp Business Account id (<c>entry[].id</c>).</summary>
    public const string WabaId = "100000000000042";

    /// <summary>The business number the simulated customers write to (<c>metadata.display_phone_number</c>).</summary>
    public const string DisplayPhoneNumber = "15550000042";

    /// <summary>A new inbound message id in Meta's shape (<c>wamid.</c> + base64 of random bytes).</summary>
    public static string NewWamid() => "wamid." + Convert.ToBase64String(RandomNumberGenerator.GetBytes(30));

    /// <summary>
    /// A customer's message. <paramref name="kind"/> is "text" (<paramref name="text"/> is the body) or a tap on a
    /// choice the bot offered: "button_reply" / "list_reply" (interactive) or "button" (a template's quick reply).
    /// </summary>
    public static byte[] CustomerMessage(string phoneNumberId, SimCustomer customer, SimMessage message, SimChoice? choice = null) =>
        Envelope(phoneNumberId, w =>
        {
            w.WriteStartArray("contacts");
            w.WriteStartObject();
            w.WriteStartObject("profile");
            w.WriteString("name", customer.Name);
            if (customer.Username is not null) w.WriteString("username", customer.Username);
            if (customer.UserId is not null) w.WriteString("country_code", customer.CountryCode);
            w.WriteEndObject();
            w.WriteString("wa_id", customer.Phone ?? "");
            if (customer.UserId is not null) w.WriteString("user_id", customer.UserId);
            w.WriteEndObject();
            w.WriteEndArray();

            w.WriteStartArray("messages");
            w.WriteStartObject();
            w.WriteString("from", customer.Phone ?? "");
            if (customer.UserId is not null) w.WriteString("from_user_id", customer.UserId);
            w.WriteString("id", message.Wamid);
            w.WriteString("timestamp", message.At.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (message.ContextWamid is not null)
            {
                w.WriteStartObject("context");
                w.WriteString("from", DisplayPhoneNumber);
                w.WriteString("id", message.ContextWamid);
                w.WriteEndObject();
            }
            WriteContent(w, message, choice);
            w.WriteEndObject();
            w.WriteEndArray();
        });

    /// <summary>A status (sent, delivered, read, failed) of a message the bot sent to <paramref name="customer"/>.</summary>
    public static byte[] Status(string phoneNumberId, SimCustomer customer, SimMessage message, string status, DateTimeOffset at,
        (int Code, string Title, string Details)? error = null) =>
        Envelope(phoneNumberId, w =>
        {
            w.WriteStartArray("statuses");
            w.WriteStartObject();
            w.WriteString("id", message.Wamid);
            w.WriteString("status", status);
            w.WriteString("timestamp", at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
            w.WriteString("recipient_id", customer.Phone ?? "");
            if (customer.UserId is not null) w.WriteString("recipient_user_id", customer.UserId);
            if (message.CallbackData is not null) w.WriteString("biz_opaque_callback_data", message.CallbackData);
            if (error is { } e)
            {
                w.WriteStartArray("errors");
                w.WriteStartObject();
                w.WriteNumber("code", e.Code);
                w.WriteString("title", e.Title);
                w.WriteString("message", e.Title);
                w.WriteStartObject("error_data");
                w.WriteString("details", e.Details);
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndArray();
            }
            w.WriteEndObject();
            w.WriteEndArray();
        });

    private static void WriteContent(Utf8JsonWriter w, SimMessage message, SimChoice? choice)
    {
        switch (message.Kind)
        {
            case "button_reply" or "list_reply":
                w.WriteString("type", "interactive");
                w.WriteStartObject("interactive");
                w.WriteString("type", message.Kind);
                w.WriteStartObject(message.Kind);
                w.WriteString("id", choice!.Id);
                w.WriteString("title", choice.Title);
                if (choice.Description is not null) w.WriteString("description", choice.Description);
                w.WriteEndObject();
                w.WriteEndObject();
                break;
            case "button":
                w.WriteString("type", "button");
                w.WriteStartObject("button");
                w.WriteString("payload", choice!.Id);
                w.WriteString("text", choice.Title);
                w.WriteEndObject();
                break;
            default:
                w.WriteString("type", "text");
                w.WriteStartObject("text");
                w.WriteString("body", message.Text);
                w.WriteEndObject();
                break;
        }
    }

    private static byte[] Envelope(string phoneNumberId, Action<Utf8JsonWriter> value)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("object", "whatsapp_business_account");
            w.WriteStartArray("entry");
            w.WriteStartObject();
            w.WriteString("id", WabaId);
            w.WriteStartArray("changes");
            w.WriteStartObject();
            w.WriteStartObject("value");
            w.WriteString("messaging_product", "whatsapp");
            w.WriteStartObject("metadata");
            w.WriteString("display_phone_number", DisplayPhoneNumber);
            w.WriteString("phone_number_id", phoneNumberId);
            w.WriteEndObject();
            value(w);
            w.WriteEndObject();
            w.WriteString("field", "messages");
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}

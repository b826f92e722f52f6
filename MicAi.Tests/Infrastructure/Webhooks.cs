using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MicAi.Core.WhatsApp;

namespace MicAi.Tests.Infrastructure;

/// <summary>Builds and signs webhook deliveries the way Meta sends them.</summary>
public static class Webhooks
{
    public const string AppSecret = "fixture-app-secret-shared-NOT-REAL-0001";
    public const string PhoneNumberId = "106540352242922";

    public static string NewWamid() => "wamid.TEST" + Guid.NewGuid().ToString("N");

    public static byte[] Text(string from, string wamid, string body, string? profileName = "Ana Souza", long? timestamp = null)
    {
        var ts = (timestamp ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds()).ToString();
        var json = $$$"""
            {"object":"whatsapp_business_account","entry":[{"id":"102938475610293","changes":[{"value":{
            "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111","phone_number_id":"{{{PhoneNumberId}}}"},
            "contacts":[{"profile":{"name":{{{JsonSerializer.Serialize(profileName)}}}},"wa_id":"{{{from}}}"}],
            "messages":[{"from":"{{{from}}}","id":"{{{wamid}}}","timestamp":"{{{ts}}}","type":"text","text":{"body":{{{JsonSerializer.Serialize(body)}}}}}]},
            "field":"messages"}]}]}
            """;
        return Encoding.UTF8.GetBytes(json);
    }

    /// <summary>A delivery status for a message we sent (Meta echoes our key in biz_opaque_callback_data).</summary>
    public static byte[] Status(string providerId, string status, string recipient, string? callbackData = null, int? errorCode = null, string? errorTitle = null)
    {
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString();
        var callback = callbackData is null ? "" : $",\"biz_opaque_callback_data\":{JsonSerializer.Serialize(callbackData)}";
        var errors = errorCode is null ? "" : $",\"errors\":[{{\"code\":{errorCode},\"title\":{JsonSerializer.Serialize(errorTitle ?? "")}}}]";
        var json = $$$"""
            {"object":"whatsapp_business_account","entry":[{"id":"102938475610293","changes":[{"value":{
            "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111","phone_number_id":"{{{PhoneNumberId}}}"},
            "statuses":[{"id":{{{JsonSerializer.Serialize(providerId)}}},"status":"{{{status}}}","timestamp":"{{{ts}}}","recipient_id":"{{{recipient}}}"{{{callback}}}{{{errors}}}}]},
            "field":"messages"}]}]}
            """;
        return Encoding.UTF8.GetBytes(json);
    }

    /// <summary>A tapped reply button (<paramref name="kind"/> button_reply) or list row (list_reply), as Meta delivers it.</summary>
    public static byte[] Tap(string from, string wamid, string kind, string id, string title) =>
        Message(from, wamid, "interactive", new JsonObject { ["type"] = kind, [kind] = new JsonObject { ["id"] = id, ["title"] = title } }.ToJsonString());

    /// <summary>One message of <paramref name="type"/> whose body object is <paramref name="bodyJson"/>, in Meta's envelope.</summary>
    public static byte[] Message(string from, string wamid, string type, string bodyJson, string? profileName = "Ana Souza")
    {
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString();
        var json = $$$"""
            {"object":"whatsapp_business_account","entry":[{"id":"102938475610293","changes":[{"value":{
            "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111","phone_number_id":"{{{PhoneNumberId}}}"},
            "contacts":[{"profile":{"name":{{{JsonSerializer.Serialize(profileName)}}}},"wa_id":"{{{from}}}"}],
            "messages":[{"from":"{{{from}}}","id":"{{{wamid}}}","timestamp":"{{{ts}}}","type":"{{{type}}}","{{{type}}}":{{{bodyJson}}}}]},
            "field":"messages"}]}]}
            """;
        return Encoding.UTF8.GetBytes(json);
    }

    /// <summary>A coexistence echo: a person at the business wrote <paramref name="text"/> to the customer from the WhatsApp Business app.</summary>
    public static byte[] Echo(string to, string wamid, string text)
    {
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString();
        var json = $$$"""
            {"object":"whatsapp_business_account","entry":[{"id":"102938475610293","changes":[{"value":{
            "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111","phone_number_id":"{{{PhoneNumberId}}}"},
            "message_echoes":[{"from":"15550001111","to":"+{{{to}}}","id":"{{{wamid}}}","timestamp":"{{{ts}}}","type":"text","text":{"body":{{{JsonSerializer.Serialize(text)}}}}}]},
            "field":"smb_message_echoes"}]}]}
            """;
        return Encoding.UTF8.GetBytes(json);
    }

    public static HttpRequestMessage Post(byte[] body, string? secret = AppSecret)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhook") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (secret is not null) request.Headers.Add("X-Hub-Signature-256", WebhookSignature.Compute(secret, body));
        return request;
    }
}

using System.Text;
using System.Text.Json;

namespace MicAi.Tests.Infrastructure;

/// <summary>Status webhooks shaped like Meta's (see TestData/meta/webhooks/status_*.json) for ids the tests choose.</summary>
public static class StatusWebhooks
{
    public static byte[] Status(string providerMessageId, string status, string recipient, string? callbackData = null, long? timestamp = null)
    {
        var ts = (timestamp ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds()).ToString();
        var callback = callbackData is null ? "" : $",\"biz_opaque_callback_data\":{JsonSerializer.Serialize(callbackData)}";
        var json = $$$"""
            {"object":"whatsapp_business_account","entry":[{"id":"102938475610293","changes":[{"value":{
            "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111","phone_number_id":"{{{Webhooks.PhoneNumberId}}}"},
            "statuses":[{"id":"{{{providerMessageId}}}","status":"{{{status}}}","timestamp":"{{{ts}}}","recipient_id":"{{{recipient}}}"{{{callback}}}}]},
            "field":"messages"}]}]}
            """;
        return Encoding.UTF8.GetBytes(json);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MicAi.Tests.Infrastructure;
using MicAi.Tests.Platform;

namespace MicAi.Tests.Operators;

/// <summary>What the operator tests do through the admin API and webhooks, over <see cref="PlatformHarness"/>.</summary>
internal static class OperatorHarness
{
    public static async Task<HttpResponseMessage> SendAsync(this PlatformHarness h, string waId, object body, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/admin/contacts/{waId}/messages") { Content = JsonContent.Create(body) };
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        return await h.Admin().SendAsync(request);
    }

    public static async Task<JsonObject> TimelineAsync(this PlatformHarness h, string waId, string query = "")
    {
        var response = await h.Admin().GetAsync($"/admin/contacts/{waId}/messages{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    public static async Task<JsonObject> HandoverAsync(this PlatformHarness h, string waId, object body)
    {
        var response = await h.Admin().PutAsJsonAsync($"/admin/contacts/{waId}/handover", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    public static async Task<JsonObject> AttentionAsync(this PlatformHarness h) =>
        (await h.Admin().GetFromJsonAsync<JsonObject>("/admin/attention"))!;

    /// <summary>Meta's status webhook for a ledger row (by its provider id and our key), as Meta sends it.</summary>
    public static async Task DeliverStatusAsync(this PlatformHarness h, string key, string status, int? errorCode = null, string? errorTitle = null)
    {
        var providerId = await h.Db.ScalarAsync<string>("SELECT provider_message_id FROM outbound_messages WHERE idempotency_key = $1", key);
        var to = await h.Db.ScalarAsync<string>("SELECT wa_id FROM outbound_messages WHERE idempotency_key = $1", key);
        var response = await h.Api.CreateClient().SendAsync(Webhooks.Post(Webhooks.Status(providerId, status, to, key, errorCode, errorTitle)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public static async Task PostAsync(this PlatformHarness h, byte[] webhook)
    {
        var response = await h.Api.CreateClient().SendAsync(Webhooks.Post(webhook));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await h.DrainAsync();
    }

    public static string[] Texts(JsonObject page) =>
        [.. page["items"]!.AsArray().Select(i => $"{i!["direction"]}:{i["author"]?.GetValue<string>() ?? "-"}:{i["text"]}")];
}

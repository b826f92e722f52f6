using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MicAi.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace MicAi.Tests.Admin;

/// <summary>One in-memory Host per test class, its clock fixed at <see cref="Start"/> (before Lisbon's 2026 DST change).</summary>
public sealed class AdminResourceFixture : IAsyncLifetime
{
    public static readonly DateTimeOffset Start = new(2026, 3, 28, 10, 0, 0, TimeSpan.Zero);

    public FakeTimeProvider Time { get; } = new(Start);
    public MicAiApiFactory Api { get; private set; } = null!;
    public NpgsqlDataSource Db => Api.Get<NpgsqlDataSource>();

    public async Task InitializeAsync()
    {
        Api = new MicAiApiFactory(await MicAiApiFactory.DefaultSettingsAsync("http://127.0.0.1:9/"), Time);
        _ = Api.Server;
    }

    public HttpClient Admin() => Api.CreateAdminClient();

    public async Task<long> CreateAgentAsync(string name = "helper")
    {
        var response = await Admin().PostAsJsonAsync("/admin/agents", new { name });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>();
    }

    public async Task DisposeAsync() => await Api.DisposeAsync();
}

internal static class ProblemAssert
{
    /// <summary>A 400 ValidationProblem naming the field.</summary>
    public static async Task FieldErrorAsync(HttpResponseMessage response, string field)
    {
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(body["errors"]?[field] is JsonArray { Count: > 0 }, $"expected a field error for '{field}' in {body.ToJsonString()}");
    }

    public static async Task StatusAsync(HttpResponseMessage response, int status)
    {
        Assert.Equal(status, (int)response.StatusCode);
        if (status >= 400) Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        await Task.CompletedTask;
    }
}

using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MicAi.Core.Admin;
using MicAi.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Net.Http.Headers;

namespace MicAi.Tests.Console;

/// <summary>A browser's view of the console over plain HTTP: it signs in, keeps the cookie and sends the CSRF token as the page does.</summary>
public sealed class ConsoleClient(MicAiApiFactory api, string baseAddress = "http://localhost")
{
    public const string Page = "/console";
    public const string Session = "/console/api/session";

    public HttpClient Http { get; } = api.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false, AllowAutoRedirect = false, BaseAddress = new Uri(baseAddress) });

    public string? Cookie { get; private set; }
    public string? CsrfToken { get; private set; }

    public static HttpRequestMessage SignInRequest(string key, string? origin = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Session) { Content = JsonContent.Create(new { key }) };
        if (origin is not null) request.Headers.Add("Origin", origin);
        return request;
    }

    /// <summary>Signs in with <paramref name="key"/>; on success keeps the cookie and the token.</summary>
    public async Task<HttpResponseMessage> SignInAsync(string key = MicAiApiFactory.AdminKey)
    {
        var response = await Http.SendAsync(SignInRequest(key));
        if (response.IsSuccessStatusCode)
        {
            Cookie = SetCookie(response)!.Value.ToString();
            CsrfToken = (await response.Content.ReadFromJsonAsync<JsonObject>())!["csrf_token"]!.GetValue<string>();
        }
        return response;
    }

    public static SetCookieHeaderValue? SetCookie(HttpResponseMessage response) =>
        response.Headers.TryGetValues(HeaderNames.SetCookie, out var values)
            ? SetCookieHeaderValue.ParseList(values.ToList()).SingleOrDefault(c => c.Name == AdminSession.CookieName)
            : null;

    /// <summary>A request with the session cookie, and the CSRF token when <paramref name="csrf"/>.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, bool csrf = true, object? body = null, string? cookie = null)
    {
        var request = new HttpRequestMessage(method, path);
        if ((cookie ?? Cookie) is { } value) request.Headers.Add(HeaderNames.Cookie, $"{AdminSession.CookieName}={value}");
        if (csrf && CsrfToken is not null) request.Headers.Add(AdminSession.CsrfHeader, CsrfToken);
        if (body is not null) request.Content = JsonContent.Create(body);
        return Http.SendAsync(request);
    }
}

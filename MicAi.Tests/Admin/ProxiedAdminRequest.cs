using System.Net;
using MicAi.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;

namespace MicAi.Tests.Admin;

/// <summary>
/// <c>GET /admin/stats</c> into the in-memory Host as a proxy delivers it: from a chosen TCP peer, with the headers the
/// proxies in between wrote. Headers are written "Name=value|Name=value" so test data stays one line.
/// </summary>
public static class ProxiedAdminRequest
{
    public static Task<HttpContext> SendAsync(TestServer server, string peer, string? key = MicAiApiFactory.AdminKey,
        string? headers = null, bool bearer = false) =>
        server.SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Path = "/admin/stats";
            c.Connection.RemoteIpAddress = IPAddress.Parse(peer);
            if (key is not null && bearer) c.Request.Headers.Authorization = "Bearer " + key;
            else if (key is not null) c.Request.Headers["x-admin-key"] = key;
            foreach (var (name, value) in Parse(headers)) c.Request.Headers.Append(name, value);
        });

    public static IEnumerable<(string Name, string Value)> Parse(string? headers) =>
        (headers ?? "").Split('|', StringSplitOptions.RemoveEmptyEntries)
            .Select(h => (h[..h.IndexOf('=')].Trim(), h[(h.IndexOf('=') + 1)..].Trim()));
}

using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace MicAi.Core.Simulator;

/// <summary>A refusal in Graph's shape: HTTP status, <c>error.code</c>, message and (for WhatsApp) <c>error_data.details</c>.</summary>
public sealed record GraphRefusal(int HttpStatus, int Code, string Message, string? Details = null, int? Subcode = null)
{
    /// <summary>
    /// <c>{"error":{"message","type":"OAuthException","code",["error_subcode"],["error_data":{"messaging_product",
    /// "details"}],"fbtrace_id"}}</c> as in MicAi.Tests/TestData/meta/graph/error_*.json.
    /// </summary>
    public IResult ToResult(HttpResponse response)
    {
        var error = new JsonObject { ["message"] = Message, ["type"] = "OAuthException", ["code"] = Code };
        if (Subcode is { } subcode) error["error_subcode"] = subcode;
        if (Details is not null) error["error_data"] = new JsonObject { ["messaging_product"] = "whatsapp", ["details"] = Details };
        error["fbtrace_id"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_');
        if (HttpStatus == 401)
            response.Headers.WWWAuthenticate = $"OAuth \"Facebook Platform\" \"invalid_token\" \"{Message}\"";
        return TypedResults.Text(new JsonObject { ["error"] = error }.ToJsonString(), "application/json; charset=UTF-8", statusCode: HttpStatus);
    }
}

/// <summary>The refusals the stand-in gives, worded as Graph words them.</summary>
public static class GraphErrors
{
    public static GraphRefusal InvalidToken() =>
        new(401, 190, "Invalid OAuth access token - Cannot parse access token");

    public static GraphRefusal UnknownObject(string id, string method = "post") =>
        new(400, 100, $"Unsupported {method} request. Object with ID '{id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.", Subcode: 33);

    public static GraphRefusal UnknownPath(string path) => new(400, 2500, $"Unknown path components: {path}");

    public static GraphRefusal Required(string parameter) => new(400, 100, $"(#100) The parameter {parameter} is required.");

    public static GraphRefusal InvalidParameter(string details) => new(400, 100, "(#100) Invalid parameter", details);
}

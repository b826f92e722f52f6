using System.Text;
using MicAi.Core.WhatsApp;

namespace MicAi.Tests.WhatsApp;

public class GraphErrorTests
{
    public static TheoryData<string> ErrorFiles => MetaFixtures.GraphErrorRows();

    [Theory]
    [MemberData(nameof(ErrorFiles))]
    public void Parse_ClassifiesEveryFixture_AsTheManifestSays(string file)
    {
        var entry = MetaFixtures.Entry(file);
        var expected = entry.GetProperty("retry").GetString() switch
        {
            "retryable" => GraphErrorClass.Retryable,
            "permanent" => GraphErrorClass.Permanent,
            "fatal-config" => GraphErrorClass.FatalConfig,
            var other => throw new InvalidOperationException($"unknown retry class {other}"),
        };

        var error = GraphError.Parse(entry.GetProperty("http_status").GetInt32(), MetaFixtures.Bytes(file));

        Assert.Equal(entry.GetProperty("code").GetInt32(), error.Code);
        Assert.Equal(entry.GetProperty("summary").GetString(), error.Message);
        Assert.Equal(expected, error.Class);
        Assert.Equal(expected == GraphErrorClass.Retryable, error.IsRetryable);
        Assert.False(string.IsNullOrEmpty(error.FbTraceId));
    }

    [Fact]
    public void Parse_ReadsAllFields_OfRateLimitError()
    {
        var e = GraphError.Parse(400, MetaFixtures.Bytes("graph/error_130429_rate_limit.json"));

        Assert.Equal((400, 130429, 2494055, "OAuthException", "-c_uFG5sMhmVVrIY6BQjHSv"), (e.HttpStatus, e.Code, e.Subcode, e.Type, e.FbTraceId));
        Assert.StartsWith("Message failed to send because there were too many messages", e.Details);
        Assert.True(e.ThrottlesSender);
        Assert.False(e.IsRecipientScoped);
    }

    [Fact]
    public void Parse_MarksPairRateLimit_AsRecipientScoped()
    {
        var e = GraphError.Parse(400, MetaFixtures.Bytes("graph/error_131056_pair_rate_limit.json"));

        Assert.True(e.IsRetryable);
        Assert.True(e.IsRecipientScoped);
        Assert.False(e.ThrottlesSender);
    }

    [Fact]
    public void Parse_ReadsTransientFlagAndMissingErrorData()
    {
        var transient = GraphError.Parse(500, MetaFixtures.Bytes("graph/error_2_transient_500.json"));
        var token = GraphError.Parse(401, MetaFixtures.Bytes("graph/error_190_token_expired.json"));

        Assert.True(transient.IsTransient);
        Assert.Null(transient.Details);
        Assert.Equal((463, (string?)null), (token.Subcode, token.Details));
        Assert.True(token.IsFatalConfig);
    }

    [Theory]
    [InlineData(502, "<html>Bad Gateway</html>", GraphErrorClass.Retryable)]
    [InlineData(503, "", GraphErrorClass.Retryable)]
    [InlineData(429, "{}", GraphErrorClass.Retryable)]
    [InlineData(408, null, GraphErrorClass.Retryable)]
    [InlineData(401, "not json", GraphErrorClass.FatalConfig)]
    [InlineData(403, "{\"error\":{}}", GraphErrorClass.FatalConfig)]
    [InlineData(400, "{\"error\":{\"message\":\"?\"}}", GraphErrorClass.Permanent)]
    [InlineData(404, "[1,2]", GraphErrorClass.Permanent)]
    [InlineData(500, "{\"error\":{\"code\":131026}}", GraphErrorClass.Permanent)]
    [InlineData(500, "{\"error\":{\"code\":987654}}", GraphErrorClass.Retryable)]
    [InlineData(400, "{\"error\":{\"code\":987654,\"is_transient\":true}}", GraphErrorClass.Retryable)]
    [InlineData(400, "{\"error\":{\"code\":\"80007\"}}", GraphErrorClass.Retryable)]
    [InlineData(400, "{\"error\":{\"code\":200}}", GraphErrorClass.FatalConfig)]
    [InlineData(400, "{\"error\":{\"code\":132001}}", GraphErrorClass.Permanent)]
    [InlineData(500, "{\"error\":{\"code\":190}}", GraphErrorClass.FatalConfig)]
    public void Parse_NeverThrows_AndClassifiesByCodeThenStatus(int status, string? body, GraphErrorClass expected)
    {
        var e = GraphError.Parse(status, body);

        Assert.Equal(expected, e.Class);
        Assert.Equal(status, e.HttpStatus);
        Assert.False(string.IsNullOrEmpty(e.Message));
    }

    [Fact]
    public void Parse_ToleratesDeepNestingAndByteOrderMark()
    {
        var deep = "{\"error\":{\"code\":100,\"x\":" + new string('[', 200) + new string(']', 200) + "}}";
        var bom = Encoding.UTF8.GetPreamble().Concat(MetaFixtures.Bytes("graph/error_100_invalid_parameter.json")).ToArray();

        Assert.Null(GraphError.Parse(400, deep).Code);
        Assert.Equal(100, GraphError.Parse(400, bom).Code);
    }

    [Fact]
    public void Parse_NeverThrows_OnInvalidUtf8OrLoneSurrogateEscapes()
    {
        var invalidUtf8 = Encoding.UTF8.GetBytes("{\"error\":{\"code\":131000,\"message\":\"xx\"}}");
        invalidUtf8[^5] = 0xC3; invalidUtf8[^4] = 0x28;
        const string loneSurrogate = "{\"error\":{\"code\":131000,\"message\":\"\\ud800\",\"type\":\"\\udc00x\"}}";

        Assert.True(GraphError.Parse(500, invalidUtf8).IsRetryable);
        Assert.Equal(131000, GraphError.Parse(500, loneSurrogate).Code);
    }

    [Fact]
    public void Transport_IsRetryable()
    {
        var e = GraphError.Transport("timeout after 10s");

        Assert.Equal((0, GraphErrorClass.Retryable, "timeout after 10s"), (e.HttpStatus, e.Class, e.Message));
    }

    [Theory]
    [InlineData("120", 120)]
    [InlineData(" 0 ", 0)]
    [InlineData("Mon, 12 Jan 2026 10:00:30 GMT", 30)]
    [InlineData("Mon, 12 Jan 2026 09:59:00 GMT", 0)]
    public void RetryAfter_ParsesSecondsOrHttpDate(string header, int expectedSeconds)
    {
        var now = new DateTimeOffset(2026, 1, 12, 10, 0, 0, TimeSpan.Zero);

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), GraphError.RetryAfter(header, now));
    }

    [Fact]
    public void RetryAfter_ReadsTypedHeader()
    {
        var now = new DateTimeOffset(2026, 1, 12, 10, 0, 0, TimeSpan.Zero);

        Assert.Equal(TimeSpan.FromSeconds(7), GraphError.RetryAfter(new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(7)), now));
        Assert.Equal(TimeSpan.FromMinutes(2), GraphError.RetryAfter(new System.Net.Http.Headers.RetryConditionHeaderValue(now.AddMinutes(2)), now));
        Assert.Null(GraphError.RetryAfter((System.Net.Http.Headers.RetryConditionHeaderValue?)null, now));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-5")]
    public void RetryAfter_ReturnsNull_WhenAbsentOrGarbled(string? header)
    {
        Assert.Null(GraphError.RetryAfter(header, DateTimeOffset.UnixEpoch));
    }
}

using System.Text;
using MicAi.Core.WhatsApp;

namespace MicAi.Tests.WhatsApp;

public class WebhookSignatureTests
{
    public static TheoryData<string> Webhooks => MetaFixtures.WebhookRows();

    [Theory]
    [MemberData(nameof(Webhooks))]
    public void Verify_AcceptsManifestSignature_OverExactFileBytes(string file)
    {
        var header = MetaFixtures.Entry(file).GetProperty("x_hub_signature_256").GetString();
        var body = MetaFixtures.Bytes(file);

        Assert.Equal(MetaFixtures.Entry(file).GetProperty("bytes").GetInt32(), body.Length); // fixture bytes untouched
        Assert.True(WebhookSignature.Verify(MetaFixtures.AppSecret, body, header));
        Assert.Equal(header, WebhookSignature.Compute(MetaFixtures.AppSecret, body));
    }

    [Theory]
    [MemberData(nameof(Webhooks))]
    public void Verify_Rejects_WhenOneByteIsFlipped(string file)
    {
        var header = MetaFixtures.Entry(file).GetProperty("x_hub_signature_256").GetString();
        var body = MetaFixtures.Bytes(file);
        body[body.Length / 2] ^= 0x01;

        Assert.False(WebhookSignature.Verify(MetaFixtures.AppSecret, body, header));
    }

    [Fact]
    public void Verify_Rejects_WhenSecretIsWrong()
    {
        var body = MetaFixtures.Bytes("webhooks/text_simple.json");
        var header = WebhookSignature.Compute(MetaFixtures.AppSecret, body);

        Assert.False(WebhookSignature.Verify("some-other-secret", body, header));
        Assert.False(WebhookSignature.Verify("", body, header));
    }

    [Fact]
    public void Verify_IgnoresHexCase()
    {
        var body = MetaFixtures.Bytes("webhooks/text_non_ascii_meta_escaped.json");
        var header = WebhookSignature.Compute(MetaFixtures.AppSecret, body);

        Assert.True(WebhookSignature.Verify(MetaFixtures.AppSecret, body, "sha256=" + header[7..].ToUpperInvariant()));
    }

    [Fact]
    public void Verify_Rejects_WhenReserialisedBodyIsSigned()
    {
        // The escaped and utf8 variants decode to the same JSON; only the exact bytes carry the signature.
        var escaped = MetaFixtures.Entry("webhooks/text_non_ascii_meta_escaped.json").GetProperty("x_hub_signature_256").GetString();

        Assert.False(WebhookSignature.Verify(MetaFixtures.AppSecret, MetaFixtures.Bytes("webhooks/text_non_ascii_utf8.json"), escaped));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sha256=")]
    [InlineData("sha1=131fdc72a6970836b0bd17d093506837223a7f294fb5432674191e75a3338627")]
    [InlineData("131fdc72a6970836b0bd17d093506837223a7f294fb5432674191e75a3338627")]
    [InlineData("sha256=131fdc72a6970836b0bd17d093506837223a7f294fb5432674191e75a333862")]
    [InlineData("sha256=131fdc72a6970836b0bd17d093506837223a7f294fb5432674191e75a33386270")]
    [InlineData("sha256=zz1fdc72a6970836b0bd17d093506837223a7f294fb5432674191e75a3338627")]
    [InlineData("sha256=131fdc72a6970836b0bd17d0935068 7223a7f294fb5432674191e75a3338627")]
    public void Verify_Rejects_WhenHeaderIsMissingOrGarbled(string? header)
    {
        var body = MetaFixtures.Bytes("webhooks/text_simple.json");

        Assert.False(WebhookSignature.Verify(MetaFixtures.AppSecret, body, header));
    }

    [Fact]
    public void Compute_MatchesKnownHmacVector()
    {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        var header = WebhookSignature.Compute("Jefe", Encoding.ASCII.GetBytes("what do ya want for nothing?"));

        Assert.Equal("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", header);
    }
}

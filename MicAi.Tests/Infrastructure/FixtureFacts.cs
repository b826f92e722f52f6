using MicAi.Tests.WhatsApp;

namespace MicAi.Tests.Infrastructure;

/// <summary>Manifest facts the API tests need: signatures, expected message ids, the exact decoded text.</summary>
internal static class FixtureFacts
{
    public static string Signature(string file) => MetaFixtures.Entry(file).GetProperty("x_hub_signature_256").GetString()!;

    public static string[] MessageIds(string file) =>
        MetaFixtures.Entry(file).GetProperty("messages").EnumerateArray().Select(e => e.GetString()!).ToArray();

    public static string ExpectedText(string file) => MetaFixtures.Entry(file).GetProperty("expected_text_body").GetString()!;
}

using System.Text.Json;
using MicAi.Core.WhatsApp;

namespace MicAi.Tests.WhatsApp;

public class InboundTextTests
{
    private static InboundMessage Only(string file) =>
        Assert.Single(WebhookParser.Parse(MetaFixtures.Bytes($"webhooks/{file}")).Batch!.Messages);

    [Theory]
    [InlineData("text_simple.json", "text", "Hi! Do you have the blue kettle in stock?", true, null)]
    [InlineData("text_product_inquiry.json", "text", "Is this still available in 1.7 l?", true, null)]
    [InlineData("text_click_to_whatsapp_referral.json", "text", "Can I get more info about this?", true, null)]
    [InlineData("image.json", "image", "Photo of the damaged box", true, null)]
    [InlineData("video.json", "video", "Unboxing, see the crack at 0:12", true, null)]
    [InlineData("document.json", "document", "My invoice", true, null)]
    [InlineData("audio_voice.json", "audio", "[voice note]", true, null)]
    [InlineData("sticker.json", "sticker", "[sticker]", false, null)]
    [InlineData("location.json", "location", "Pickup point 1 Hacker Way, Menlo Park, CA 94025 (37.48456954956,-122.14836120605)", true, null)]
    [InlineData("contacts.json", "contacts", "[contact] Maria Ortiz", true, null)]
    [InlineData("interactive_button_reply.json", "interactive", "Yes, reschedule", true, "reschedule-yes")]
    [InlineData("interactive_list_reply.json", "interactive", "Express", true, "ship-express")]
    [InlineData("interactive_nfm_reply_flow.json", "interactive", "[flow] rating: 5, comment: Great service", true, "ft-7f3a9c2e-ana-survey")]
    [InlineData("button_template_quick_reply.json", "button", "Confirm", true, "CONFIRM_DELIVERY")]
    [InlineData("order.json", "order", "Order: 1 × kettle-blue-17 @ 49.9 EUR, 2 × descaler-250 @ 6.5 EUR (total 62.9 EUR). Note: Gift wrap please", true, null)]
    [InlineData("reaction.json", "reaction", "👍", false, null)]
    [InlineData("reaction_removed.json", "reaction", null, false, null)]
    [InlineData("system_user_changed_number.json", "system", "User Ana Souza changed from 15550002222 to 15550008888", false, null)]
    [InlineData("unsupported_with_errors.json", "unsupported", null, false, null)]
    public void Describe_MapsEachFixtureType(string file, string type, string? text, bool answerable, string? replyId)
    {
        var m = Only(file);

        Assert.Equal((type, text, answerable, replyId), (m.Type, m.AgentText, m.Answerable, m.ReplyId));
    }

    [Fact]
    public void Describe_ParsesLocationNumbersAsDoubles_NotStrings()
    {
        var m = Only("location.json");
        using var doc = JsonDocument.Parse(m.Json);
        var loc = doc.RootElement.GetProperty("location");

        Assert.Equal(JsonValueKind.Number, loc.GetProperty("latitude").ValueKind);
        Assert.Equal(37.48456954956, loc.GetProperty("latitude").GetDouble());
        Assert.EndsWith("(37.48456954956,-122.14836120605)", m.AgentText);
    }

    [Fact]
    public void Describe_SystemMessageWithoutContacts_KeepsSenderPhone()
    {
        var m = Only("system_user_changed_number.json");

        Assert.Equal("15550002222", m.WaId);
        Assert.Null(m.ProfileName);
    }

    [Theory]
    [InlineData("""{"type":"image","image":{"id":"1"}}""", "[image]", true, null)]
    [InlineData("""{"type":"document","document":{"filename":"a.pdf"}}""", "a.pdf", true, null)]
    [InlineData("""{"type":"audio","audio":{"id":"1"}}""", "[audio]", true, null)]
    [InlineData("""{"type":"text","text":{"body":"  "}}""", "  ", false, null)]
    [InlineData("""{"type":"text"}""", null, false, null)]
    [InlineData("""{"type":"location","location":{"latitude":"1.5","longitude":"-2"}}""", "(1.5,-2)", true, null)]
    [InlineData("""{"type":"location","location":{}}""", "[location]", true, null)]
    [InlineData("""{"type":"contacts","contacts":[{"name":{"first_name":"Al","last_name":"Bo"}},{"name":{"formatted_name":"Cy"}}]}""", "[contact] Al Bo, Cy", true, null)]
    [InlineData("""{"type":"interactive","interactive":{"type":"button_reply","button_reply":{"id":"b1"}}}""", "b1", true, "b1")]
    [InlineData("""{"type":"interactive","interactive":{"type":"nfm_reply","nfm_reply":{"response_json":"not json"}}}""", "[flow]", true, null)]
    [InlineData("""{"type":"interactive","interactive":{"type":"call_permission_reply","call_permission_reply":{}}}""", null, false, null)]
    [InlineData("""{"type":"order","order":{"product_items":[{"product_retailer_id":"a","quantity":"1","item_price":1,"currency":"EUR"},{"product_retailer_id":"b","quantity":1,"item_price":2,"currency":"USD"}]}}""", "Order: 1 × a @ 1 EUR, 1 × b @ 2 USD", true, null)]
    [InlineData("""{"type":"order","order":{"product_items":[{"product_retailer_id":"a","quantity":9223372036854775807,"item_price":79228162514264337593543950335,"currency":"EUR"}]}}""", "Order: 9223372036854775807 × a @ 79228162514264337593543950335 EUR", true, null)]
    [InlineData("""{"type":"order","order":{"product_items":[{"product_retailer_id":"a","quantity":2}]}}""", "Order: 2 × a", true, null)]
    [InlineData("""{"type":"request_welcome","request_welcome":{}}""", null, false, null)]
    [InlineData("""{"type":"text","text":{"body":7}}""", null, false, null)]
    [InlineData("""{"id":"x"}""", null, false, null)]
    public void Describe_HandlesVariantsAndUnknownShapes(string json, string? text, bool answerable, string? replyId)
    {
        using var doc = JsonDocument.Parse(json);

        Assert.Equal(new AgentView(text, answerable, replyId), InboundText.Describe(doc.RootElement));
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using MicAi.Core.Simulator;
using MicAi.Core.WhatsApp;

namespace MicAi.Tests.WhatsApp;

/// <summary>Templates with header, body and button parameters, as Graph's components.</summary>
public class TemplateComponentsTests
{
    private const string Shape = """
        {"name": "order_update", "language": "pt_BR", "body_params": ["Ana", "A-1042"],
         "header_params": [{"type": "document", "link": "https://example.com/invoice.pdf", "filename": "invoice.pdf"}],
         "button_params": ["track-A-1042", {"index": 1, "sub_type": "url", "text": "A-1042"}]}
        """;

    [Fact]
    public void TemplateMessage_ReadsTheSharedShape_AndRendersHeaderBodyAndButtonComponents()
    {
        var template = JsonSerializer.Deserialize<TemplateMessage>(Shape)!;
        var sent = JsonNode.Parse(CloudApiRequests.Template("15550002222", template.Name!, template.Language!, template, "reply:x"))!.AsObject();

        var (refusal, _) = MessageContent.Read("template", sent);
        Assert.Null(refusal);
        var components = sent["template"]!["components"]!.AsArray();
        Assert.Equal(["header", "body", "button", "button"], components.Select(c => c!["type"]!.GetValue<string>()));
        Assert.Equal("https://example.com/invoice.pdf", components[0]!["parameters"]![0]!["document"]!["link"]!.GetValue<string>());
        Assert.Equal(["Ana", "A-1042"], components[1]!["parameters"]!.AsArray().Select(p => p!["text"]!.GetValue<string>()));
        Assert.Equal(("quick_reply", "0", "track-A-1042"), (components[2]!["sub_type"]!.GetValue<string>(), components[2]!["index"]!.GetValue<string>(),
            components[2]!["parameters"]![0]!["payload"]!.GetValue<string>()));
        Assert.Equal(("url", "1", "A-1042"), (components[3]!["sub_type"]!.GetValue<string>(), components[3]!["index"]!.GetValue<string>(),
            components[3]!["parameters"]![0]!["text"]!.GetValue<string>()));
    }

    [Fact]
    public void TemplateMessage_WithBodyParametersOnly_IsSentAsBefore()
    {
        var before = CloudApiRequests.Template("1555", "reminder", "en_US", ["Drink water"], "k");
        var after = CloudApiRequests.Template("1555", "reminder", "en_US", new TemplateMessage { BodyParams = ["Drink water"] }, "k");
        Assert.Equal(before, after);
        Assert.Contains("\"components\":[{\"type\":\"body\"", System.Text.Encoding.UTF8.GetString(after));
    }

    [Fact]
    public void TemplateParameters_MetaWouldRefuse_AreFieldErrors()
    {
        var errors = new Dictionary<string, string[]>();
        TemplateComponents.Validate(new TemplateMessage
        {
            BodyParams = ["line one\nline two"],
            HeaderParams = [new HeaderParam("image")],
            ButtonParams = [new ButtonParam(12, "quick_reply", "p"), new ButtonParam(null, "url")],
        }, "template.", errors);

        Assert.Equal(["template.body_params[0]", "template.button_params[0]", "template.button_params[1]", "template.header_params[0]"], errors.Keys.Order());
    }
}

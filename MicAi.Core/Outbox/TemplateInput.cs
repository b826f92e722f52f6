using System.Text.RegularExpressions;
using MicAi.Core.WhatsApp;

namespace MicAi.Core.Outbox;

/// <summary>A template button's parameter as the admin API takes it.</summary>
public sealed record TemplateButtonInput
{
    /// <summary><c>quick_reply</c> (value = the payload echoed back when tapped) or <c>url</c> (value = the URL's dynamic suffix).</summary>
    public string? SubType { get; init; }

    /// <summary>The button's position in the template, 0-based.</summary>
    public int? Index { get; init; }

    public string? Value { get; init; }
}

/// <summary>
/// An approved template to send: <c>name</c>, <c>language</c> (e.g. en_US; default MICAI_TEMPLATE_LANGUAGE), positional
/// text parameters for the body and the header, and button parameters. Meta checks the template itself; this checks
/// the shape, so a malformed request is a 400 with field errors, never a send that can only fail.
/// </summary>
public sealed partial record TemplateInput
{
    public string? Name { get; init; }
    public string? Language { get; init; }
    public string[]? BodyParams { get; init; }
    public string[]? HeaderParams { get; init; }
    public TemplateButtonInput[]? ButtonParams { get; init; }

    public TemplateButton[] Buttons => [.. (ButtonParams ?? []).Select(b => new TemplateButton(b.SubType!, b.Index!.Value, b.Value!))];

    /// <summary>Field errors, named <c>{field}.name</c>, <c>{field}.body_params[2]</c> …</summary>
    public void Validate(string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(Name)) errors[$"{field}.name"] = ["required"];
        else if (!TemplateName().IsMatch(Name)) errors[$"{field}.name"] = ["lowercase letters, digits and underscores, at most 512 characters"];
        if (Language is { } language && !LanguageCode().IsMatch(language)) errors[$"{field}.language"] = ["a language code such as en or en_US"];
        Texts(field + ".body_params", BodyParams, 1024, errors);
        Texts(field + ".header_params", HeaderParams, 60, errors);
        var buttons = ButtonParams ?? [];
        if (buttons.Length > 10) errors[$"{field}.button_params"] = ["at most 10 buttons"];
        for (var i = 0; i < buttons.Length; i++)
        {
            var b = buttons[i];
            if (b is null) { errors[$"{field}.button_params[{i}]"] = ["must be an object"]; continue; }
            if (b.SubType is null || !TemplateButton.SubTypes.Contains(b.SubType)) errors[$"{field}.button_params[{i}].sub_type"] = [$"one of {string.Join(", ", TemplateButton.SubTypes)}"];
            if (b.Index is not (>= 0 and < 10)) errors[$"{field}.button_params[{i}].index"] = ["a button position from 0 to 9"];
            if (string.IsNullOrEmpty(b.Value) || b.Value.Length > 2000) errors[$"{field}.button_params[{i}].value"] = ["required, at most 2000 characters"];
        }
    }

    /// <summary>Positional text parameters: present, non-blank (Meta refuses empty ones), within the limit.</summary>
    public static void Texts(string field, string[]? values, int maxLength, Dictionary<string, string[]> errors)
    {
        if (values is null) return;
        if (values.Length > 20) errors[field] = ["at most 20 parameters"];
        for (var i = 0; i < values.Length; i++)
            if (string.IsNullOrWhiteSpace(values[i]) || values[i].Length > maxLength) errors[$"{field}[{i}]"] = [$"non-blank text of at most {maxLength} characters"];
    }

    [GeneratedRegex("^[a-z0-9_]{1,512}$")]
    private static partial Regex TemplateName();

    [GeneratedRegex("^[a-z]{2,3}(_[A-Z]{2})?$")]
    private static partial Regex LanguageCode();
}

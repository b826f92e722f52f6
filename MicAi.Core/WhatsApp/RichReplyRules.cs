using static MicAi.Core.WhatsApp.MetaLimits;

namespace MicAi.Core.WhatsApp;

/// <summary>
/// Checks a rule's reply buttons, list or media against <see cref="MetaLimits"/> when it is saved, as field errors
/// named by JSON path (<c>buttons[1].title</c>), so a rule Meta would refuse is never stored.
/// </summary>
public static class RichReplyRules
{
    public static void ValidateButtons(string? body, ReplyButton[]? buttons, IDictionary<string, string[]> errors)
    {
        Body(body, errors);
        if (buttons is not { Length: >= 1 and <= MaxButtons })
        {
            errors["buttons"] = [$"reply_buttons needs 1 to {MaxButtons} buttons"];
            return;
        }
        for (var i = 0; i < buttons.Length; i++)
        {
            if (buttons[i] is null) { errors[$"buttons[{i}]"] = ["must be an object with id and title"]; continue; }
            Text(buttons[i].Id, $"buttons[{i}].id", ButtonId, errors);
            Text(buttons[i].Title, $"buttons[{i}].title", ButtonTitle, errors);
        }
        var valid = buttons.Where(b => b is not null).ToArray();
        if (valid.Select(b => b.Id).Distinct().Count() != valid.Length || valid.Select(b => b.Title).Distinct().Count() != valid.Length)
            errors["buttons"] = ["button ids and titles must be unique"];
    }

    public static void ValidateList(string? body, string? button, ListSection[]? sections, IDictionary<string, string[]> errors)
    {
        Body(body, errors);
        Text(button, "button", ListButton, errors);
        if (sections is not { Length: >= 1 and <= MaxSections })
        {
            errors["sections"] = [$"reply_list needs 1 to {MaxSections} sections"];
            return;
        }
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var rows = 0;
        for (var s = 0; s < sections.Length; s++)
        {
            var section = sections[s];
            if (section is null) { errors[$"sections[{s}]"] = ["must be an object with rows"]; continue; }
            if (sections.Length > 1 || section.Title is not null) Text(section.Title, $"sections[{s}].title", SectionTitle, errors);
            if (section.Rows is not { Length: >= 1 }) { errors[$"sections[{s}].rows"] = ["a section needs at least one row"]; continue; }
            for (var r = 0; r < section.Rows.Length; r++)
            {
                var row = section.Rows[r];
                var path = $"sections[{s}].rows[{r}]";
                if (row is null) { errors[path] = ["must be an object with id and title"]; continue; }
                rows++;
                if (Text(row.Id, $"{path}.id", RowId, errors) && !ids.Add(row.Id)) errors[$"{path}.id"] = ["row ids must be unique in the list"];
                Text(row.Title, $"{path}.title", RowTitle, errors);
                if (row.Description is not null && Characters(row.Description) > RowDescription)
                    errors[$"{path}.description"] = [$"at most {RowDescription} characters"];
            }
        }
        if (rows > MaxRows) errors["sections"] = [$"a list holds at most {MaxRows} rows in all"];
    }

    public static void ValidateMedia(MediaReply? media, IDictionary<string, string[]> errors)
    {
        if (media is null) { errors["media"] = ["reply_media needs media: {type, link or id}"]; return; }
        if (!MediaReply.Types.Contains(media.Type)) errors["media.type"] = [$"must be one of {string.Join(", ", MediaReply.Types)}"];
        if (new[] { media.Link, media.Id, media.File }.Count(v => v is not null) != 1) errors["media"] = ["give exactly one of link, id and file"];
        if (media.Link is not null && !(Uri.TryCreate(media.Link, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"))
            errors["media.link"] = ["must be an absolute http(s) URL Meta can fetch"];
        if (media.Caption is not null && media.Type == "audio") errors["media.caption"] = ["audio messages have no caption"];
        if (media.Caption is not null && Characters(media.Caption) > MediaCaption) errors["media.caption"] = [$"at most {MediaCaption} characters"];
        if (media.Filename is not null && media.Type != "document") errors["media.filename"] = ["only documents have a filename"];
    }

    public static void ValidateTemplate(TemplateMessage? template, IDictionary<string, string[]> errors)
    {
        if (template is null) { errors["template"] = ["reply_template needs template: {name, language, body_params, header_params, button_params}"]; return; }
        if (string.IsNullOrWhiteSpace(template.Name)) errors["template.name"] = ["required: the approved template's name"];
        TemplateComponents.Validate(template, "template.", errors);
    }

    private static void Body(string? body, IDictionary<string, string[]> errors) =>
        Text(body, "reply_text", InteractiveBody, errors);

    private static bool Text(string? value, string field, int max, IDictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(value)) { errors[field] = ["required"]; return false; }
        if (Characters(value) > max) { errors[field] = [$"at most {max} characters"]; return false; }
        return true;
    }
}

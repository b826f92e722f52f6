using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace MicAi.Core.Simulator;

/// <summary>
/// A new simulated customer from what the page sent: a phone number (digits, formatting ignored, 7–15 digits as in
/// E.164) or a WhatsApp username (then Meta's shape for a user who hides their number: no phone, a business-scoped
/// user id of the country code, a dot and 20 digits, like <c>US.13849205716630281947</c>).
/// </summary>
public static partial class CustomerFactory
{
    public const int MaxNameLength = 60;

    /// <summary>The customer, or the problem to show the person who typed it.</summary>
    public static (SimCustomer? Customer, string? Problem) Create(NewCustomer input)
    {
        var name = input.Name?.Trim();
        if (name is { Length: > MaxNameLength }) return (null, $"name is longer than {MaxNameLength} characters");
        var hasPhone = !string.IsNullOrWhiteSpace(input.Phone);
        var hasUsername = !string.IsNullOrWhiteSpace(input.Username);
        if (hasPhone == hasUsername) return (null, "give either a phone number or a username");

        if (hasPhone)
        {
            var digits = Formatting().Replace(input.Phone!, "");
            if (!Digits().IsMatch(digits)) return (null, "a phone number has 7 to 15 digits, with an optional leading +");
            return (new SimCustomer(digits, string.IsNullOrEmpty(name) ? "+" + digits : name, digits, null, null, "US"), null);
        }

        var username = input.Username!.Trim().TrimStart('@').ToLowerInvariant();
        if (!Username().IsMatch(username)) return (null, "a username has 3 to 35 letters, digits, dots or underscores");
        var country = string.IsNullOrWhiteSpace(input.CountryCode) ? "US" : input.CountryCode.Trim().ToUpperInvariant();
        if (!CountryCode().IsMatch(country)) return (null, "a country code is two letters (ISO 3166), e.g. US");
        var userId = $"{country}.{RandomNumberGenerator.GetInt32(1, 10)}{RandomNumberGenerator.GetString("0123456789", 19)}";
        return (new SimCustomer(userId, string.IsNullOrEmpty(name) ? "@" + username : name, null, userId, "@" + username, country), null);
    }

    [GeneratedRegex(@"[\s\-().+]")]
    private static partial Regex Formatting();

    [GeneratedRegex(@"^[0-9]{7,15}$")]
    private static partial Regex Digits();

    [GeneratedRegex(@"^[a-z0-9._]{3,35}$")]
    private static partial Regex Username();

    [GeneratedRegex(@"^[A-Z]{2}$")]
    private static partial Regex CountryCode();
}

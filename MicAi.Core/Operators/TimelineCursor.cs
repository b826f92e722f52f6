using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace MicAi.Core.Operators;

/// <summary>
/// Where a timeline page ends: the last item's time (microseconds, Postgres's precision), direction and key. The
/// timeline's total order is (time, direction, key) descending, outbound before inbound at the same microsecond, so a
/// cursor names exactly one place in it. Opaque to clients (base64url); rows written after a page was read are newer
/// than its cursor and never shift later pages: no duplicates, no gaps.
/// </summary>
public sealed record TimelineCursor(DateTimeOffset At, bool Outbound, string Key)
{
    public string Encode()
    {
        var micros = (At.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
        var raw = $"{micros.ToString(CultureInfo.InvariantCulture)}|{(Outbound ? 'o' : 'i')}|{Key}";
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(raw));
    }

    public static bool TryDecode(string text, out TimelineCursor? cursor)
    {
        cursor = null;
        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text)).Split('|', 3);
            if (parts.Length != 3 || parts[1] is not ("o" or "i") || parts[2].Length == 0
                || !long.TryParse(parts[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var micros))
                return false;
            cursor = new TimelineCursor(DateTimeOffset.UnixEpoch.AddTicks(micros * 10), parts[1] == "o", parts[2]);
            return true;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or ArgumentOutOfRangeException)
        {
            return false;
        }
    }
}

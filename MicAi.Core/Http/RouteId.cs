using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace MicAi.Core.Http;

/// <summary>Numeric ids in admin paths. An id that is not a number names nothing, so it is a 404 like a missing one.</summary>
public static class RouteId
{
    public static bool TryParse(string raw, string what, out long id, [NotNullWhen(false)] out NotFoundProblem? notFound)
    {
        notFound = long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out id) ? null : new($"{what} '{raw}' does not exist");
        return notFound is null;
    }

    /// <summary>404 for a well-formed id that names nothing (<c>agent 42 does not exist</c>).</summary>
    public static NotFoundProblem Missing(string what, object id) => new($"{what} {id} does not exist");
}

using VoipPlatform.Contracts.Routing;

namespace VoipPlatform.Router.Caching;

/// <summary>
/// Two route requests are the same question when every fact the API may decide on is equal: everything but the
/// Call-ID, which is for logs only (docs/business-logic-api.md). Header values are compared by content. Used as the
/// plan cache's key comparer, so a lookup builds no key.
/// </summary>
public sealed class RouteFactsComparer : IEqualityComparer<CallRouteRequest>
{
    public static readonly RouteFactsComparer Instance = new();

    public bool Equals(CallRouteRequest? x, CallRouteRequest? y)
    {
        if (ReferenceEquals(x, y)) return true;
        if (x is null || y is null) return false;
        return x.Caller == y.Caller
               && x.Callee == y.Callee
               && string.Equals(x.RequestUri, y.RequestUri, StringComparison.Ordinal)
               && string.Equals(x.Source, y.Source, StringComparison.Ordinal)
               && x.CallerAuthenticated == y.CallerAuthenticated
               && x.SourceTrusted == y.SourceTrusted
               && SameHeaders(x.Headers, y.Headers);
    }

    public int GetHashCode(CallRouteRequest request)
    {
        // Order-independent: two dictionaries with the same pairs hash alike however they were built. The router
        // builds a Dictionary; enumerating it as one uses its struct enumerator (no allocation per lookup).
        int headers = 0;
        if (request.Headers is Dictionary<string, string> dictionary)
        {
            foreach (var (name, value) in dictionary) headers ^= HashCode.Combine(name, value);
        }
        else if (request.Headers is { Count: > 0 } values)
        {
            foreach (var (name, value) in values) headers ^= HashCode.Combine(name, value);
        }
        return HashCode.Combine(request.Caller, request.Callee, request.RequestUri, request.Source,
            request.CallerAuthenticated, request.SourceTrusted, headers);
    }

    private static bool Same(IReadOnlyDictionary<string, string> headers, string name, string value) =>
        headers.TryGetValue(name, out string? other) && string.Equals(value, other, StringComparison.Ordinal);

    private static bool SameHeaders(IReadOnlyDictionary<string, string>? x, IReadOnlyDictionary<string, string>? y)
    {
        int countX = x?.Count ?? 0;
        if (countX != (y?.Count ?? 0)) return false;
        if (countX == 0) return true;
        if (x is Dictionary<string, string> dictionary)
        {
            foreach (var (name, value) in dictionary)
            {
                if (!Same(y!, name, value)) return false;
            }
            return true;
        }
        foreach (var (name, value) in x!)
        {
            if (!Same(y!, name, value)) return false;
        }
        return true;
    }
}

using System.Globalization;

namespace VoipPlatform.Router.Registrar;

/// <summary>
/// The Date header's value (RFC 3261 section 20.17, RFC 1123 form), formatted once per second rather than once per
/// 200: every registration carries one.
/// </summary>
internal sealed class HttpDate
{
    private sealed record Formatted(long Second, string Text);

    private Formatted _last = new(long.MinValue, "");

    public string Format(DateTimeOffset now)
    {
        long second = now.ToUnixTimeSeconds();
        Formatted last = _last;
        if (last.Second == second) return last.Text;
        var formatted = new Formatted(second, now.ToString("r", CultureInfo.InvariantCulture));
        _last = formatted; // replaced whole, so a reader on another thread sees a matching pair
        return formatted.Text;
    }
}

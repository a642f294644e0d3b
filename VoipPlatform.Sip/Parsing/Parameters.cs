using System.Text;

namespace VoipPlatform.Sip.Parsing;

/// <summary>Lookup in a <c>;name=value;flag</c> parameter list (URI or header parameters).</summary>
internal static class Parameters
{
    /// <summary>
    /// Finds a parameter by name (case-insensitive). Returns true when present; <paramref name="value"/>
    /// is empty for a flag parameter such as <c>lr</c> or a bare <c>rport</c>.
    /// </summary>
    public static bool TryGet(ReadOnlySpan<byte> list, ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        value = default;
        while (!list.IsEmpty)
        {
            int next = SipSyntax.IndexOfUnquoted(list, (byte)';');
            ReadOnlySpan<byte> item = next < 0 ? list : list[..next];
            list = next < 0 ? default : list[(next + 1)..];

            item = SipSyntax.Trim(item);
            int eq = item.IndexOf((byte)'=');
            ReadOnlySpan<byte> itemName = SipSyntax.Trim(eq < 0 ? item : item[..eq]);
            if (Ascii.EqualsIgnoreCase(itemName, name))
            {
                value = eq < 0 ? default : SipSyntax.Trim(item[(eq + 1)..]);
                return true;
            }
        }
        return false;
    }

    /// <summary>True when every <c>;</c>-separated item has a non-empty token name (so <c>;;</c> is refused).</summary>
    public static bool IsWellFormed(ReadOnlySpan<byte> list)
    {
        if (list.IsEmpty) return true;
        while (true)
        {
            int next = SipSyntax.IndexOfUnquoted(list, (byte)';');
            ReadOnlySpan<byte> item = SipSyntax.Trim(next < 0 ? list : list[..next]);
            int eq = item.IndexOf((byte)'=');
            if (!Messages.SipMethods.IsToken(SipSyntax.Trim(eq < 0 ? item : item[..eq]))) return false;
            if (next < 0) return true;
            list = list[(next + 1)..];
        }
    }

    /// <summary>The value of a parameter, or empty when absent or a flag.</summary>
    public static ReadOnlySpan<byte> Get(ReadOnlySpan<byte> list, ReadOnlySpan<byte> name) =>
        TryGet(list, name, out var value) ? value : default;

}

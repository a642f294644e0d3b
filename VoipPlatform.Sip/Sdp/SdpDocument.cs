using System.Text;

namespace VoipPlatform.Sip.Sdp;

/// <summary>
/// An SDP body (RFC 8866) read line by line, with the lines media bridging rewrites — the origin address, the
/// connection addresses and the media ports — exposed for change, and every other line kept exactly as received.
/// </summary>
public sealed class SdpDocument
{
    private readonly List<Line> _lines;

    private sealed class Line(char type, string value)
    {
        public char Type { get; } = type;
        public string Value { get; set; } = value;
        public int MediaIndex { get; init; } = -1;
    }

    private SdpDocument(List<Line> lines) => _lines = lines;

    /// <summary>Parses a body; null when it is not SDP (no leading <c>v=0</c>, a line without <c>x=</c>, a bad m= or c= line).</summary>
    public static SdpDocument? Parse(ReadOnlySpan<byte> body)
    {
        string text = Encoding.UTF8.GetString(body);
        var lines = new List<Line>();
        int media = -1;
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            if (line.Length == 0) continue;
            if (line.Length < 2 || line[1] != '=' || !char.IsAsciiLetterLower(line[0])) return null;
            char type = line[0];
            if (type == 'm') media++;
            lines.Add(new Line(type, line[2..]) { MediaIndex = media });
        }
        if (lines.Count == 0 || lines[0].Type != 'v' || lines[0].Value != "0") return null;
        var document = new SdpDocument(lines);
        foreach (Line line in lines)
        {
            if (line.Type == 'm' && ParseMedia(line.Value) is null) return null;
            if (line.Type == 'c' && ConnectionParts(line.Value) is null) return null;
        }
        return document;
    }

    /// <summary>The origin's unicast address (the last field of <c>o=</c>).</summary>
    public string? OriginAddress => _lines.FirstOrDefault(l => l.Type == 'o')?.Value.Split(' ') is { Length: 6 } o ? o[5] : null;

    /// <summary>The session-level connection address (a <c>c=</c> before the first <c>m=</c>).</summary>
    public string? SessionConnectionAddress => _lines.FirstOrDefault(l => l.Type == 'c' && l.MediaIndex < 0) is { } c ? ConnectionParts(c.Value)!.Value.Address : null;

    /// <summary>The media sections in order.</summary>
    public IReadOnlyList<SdpMedia> Media =>
        _lines.Where(l => l.Type == 'm').Select(m =>
        {
            var (type, port, protocol, formats) = ParseMedia(m.Value)!.Value;
            Line? c = _lines.FirstOrDefault(l => l.Type == 'c' && l.MediaIndex == m.MediaIndex);
            return new SdpMedia(type, port, protocol, formats, c is null ? null : ConnectionParts(c.Value)!.Value.Address);
        }).ToArray();

    /// <summary>Points every connection line (session and media level) and the origin at <paramref name="address"/>.</summary>
    public void SetConnectionAddress(string address)
    {
        string addressType = address.Contains(':') ? "IP6" : "IP4";
        foreach (Line line in _lines)
        {
            if (line.Type == 'c')
            {
                var parts = ConnectionParts(line.Value)!.Value;
                line.Value = $"{parts.NetworkType} {addressType} {address}{parts.Suffix}";
            }
            else if (line.Type == 'o' && line.Value.Split(' ') is { Length: 6 } o)
            {
                line.Value = $"{o[0]} {o[1]} {o[2]} {o[3]} {addressType} {address}";
            }
        }
    }

    /// <summary>Sets the port of media section <paramref name="index"/> (0-based), keeping a <c>/count</c> suffix.</summary>
    public void SetMediaPort(int index, int port)
    {
        if (port is < 0 or > 65535) throw new ArgumentOutOfRangeException(nameof(port));
        Line line = _lines.Where(l => l.Type == 'm').ElementAtOrDefault(index) ?? throw new ArgumentOutOfRangeException(nameof(index));
        string[] fields = line.Value.Split(' ', 3);
        int slash = fields[1].IndexOf('/');
        fields[1] = slash < 0 ? port.ToString() : port + fields[1][slash..];
        line.Value = string.Join(' ', fields);
    }

    /// <summary>Writes the body with CRLF line ends (RFC 8866 section 5).</summary>
    public byte[] ToBytes()
    {
        var text = new StringBuilder();
        foreach (Line line in _lines) text.Append(line.Type).Append('=').Append(line.Value).Append("\r\n");
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static (string Type, int Port, string Protocol, string Formats)? ParseMedia(string value)
    {
        string[] fields = value.Split(' ', 4);
        if (fields.Length < 3) return null;
        string port = fields[1].Split('/')[0];
        if (!int.TryParse(port, out int p) || p is < 0 or > 65535) return null;
        return (fields[0], p, fields[2], fields.Length > 3 ? fields[3] : "");
    }

    private static (string NetworkType, string AddressType, string Address, string Suffix)? ConnectionParts(string value)
    {
        string[] fields = value.Split(' ');
        if (fields.Length != 3 || fields[0] != "IN" || fields[1] is not ("IP4" or "IP6")) return null;
        int slash = fields[2].IndexOf('/');
        return slash < 0 ? (fields[0], fields[1], fields[2], "") : (fields[0], fields[1], fields[2][..slash], fields[2][slash..]);
    }
}

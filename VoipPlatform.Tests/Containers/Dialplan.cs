using System.Text.RegularExpressions;

namespace VoipPlatform.Tests.Containers;

/// <summary>
/// An Asterisk <c>extensions.conf</c> read the way <c>pbx_config</c> reads the parts the contract test needs:
/// contexts, extensions and their priority lines (<c>exten =&gt;</c> and <c>same =&gt;</c>), comments dropped.
/// </summary>
public sealed partial class Dialplan
{
    private Dialplan(IReadOnlyList<DialplanLine> lines) => Lines = lines;

    /// <summary>Every priority line, in file order.</summary>
    public IReadOnlyList<DialplanLine> Lines { get; }

    /// <summary>The extensions of <paramref name="context"/>, in file order.</summary>
    public IReadOnlyList<string> Extensions(string context) =>
        Lines.Where(l => l.Context == context).Select(l => l.Extension).Distinct().ToArray();

    /// <summary>The lines of one extension.</summary>
    public IReadOnlyList<DialplanLine> Extension(string context, string extension) =>
        Lines.Where(l => l.Context == context && l.Extension == extension).ToArray();

    public bool HasContext(string context) => Lines.Any(l => l.Context == context);

    public static Dialplan Parse(string text)
    {
        var lines = new List<DialplanLine>();
        string? context = null, extension = null;
        int number = 0;
        foreach (string raw in text.Split('\n'))
        {
            number++;
            string line = StripComment(raw).Trim();
            if (line.Length == 0) continue;
            if (ContextHeader().Match(line) is { Success: true } header)
            {
                context = header.Groups[1].Value;
                extension = null;
                continue;
            }
            if (Exten().Match(line) is { Success: true } exten)
            {
                extension = exten.Groups[1].Value.Trim();
                lines.Add(new DialplanLine(context ?? "", extension, exten.Groups[2].Value.Trim(), number));
            }
            else if (Same().Match(line) is { Success: true } same && extension is not null)
            {
                lines.Add(new DialplanLine(context ?? "", extension, same.Groups[1].Value.Trim(), number));
            }
        }
        return new Dialplan(lines);
    }

    /// <summary>Drops a <c>;</c> comment; <c>\;</c> is a literal semicolon.</summary>
    private static string StripComment(string line)
    {
        for (int i = 0; i < line.Length; i++)
        {
            if (line[i] == ';' && (i == 0 || line[i - 1] != '\\')) return line[..i];
        }
        return line;
    }

    [GeneratedRegex(@"^\[([^\]]+)\]")]
    private static partial Regex ContextHeader();

    [GeneratedRegex(@"^exten\s*=>\s*([^,]+),(.*)$")]
    private static partial Regex Exten();

    [GeneratedRegex(@"^same\s*=>\s*(.*)$")]
    private static partial Regex Same();
}

/// <summary>One priority line: <c>PRIORITY[(label)],APPLICATION(args)</c> after the extension name.</summary>
/// <param name="Body">The line after <c>exten =&gt; name,</c> or <c>same =&gt;</c>.</param>
/// <param name="Number">Line number in the file, for messages.</param>
public sealed partial record DialplanLine(string Context, string Extension, string Body, int Number)
{
    /// <summary>The label of this priority, e.g. <c>ask</c> in <c>n(ask),Read(...)</c>; null when it has none.</summary>
    public string? Label => LabelPattern().Match(Body) is { Success: true } m ? m.Groups[1].Value : null;

    /// <summary>The application this priority runs, e.g. <c>Hangup</c>.</summary>
    public string Application => ApplicationPattern().Match(Body) is { Success: true } m ? m.Groups[1].Value : "";

    public override string ToString() => $"line {Number} [{Context}] {Extension}: {Body}";

    [GeneratedRegex(@"^[^,(]+\(([^)]+)\),")]
    private static partial Regex LabelPattern();

    [GeneratedRegex(@"^[^,]+?(?:\([^)]*\))?,([A-Za-z]+)\(")]
    private static partial Regex ApplicationPattern();
}

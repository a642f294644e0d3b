using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace VoipPlatform.Tests.AppHost.Publishing;

/// <summary>
/// Helm cannot be installed here (Debian 12 has no package, and nothing but package sources is reachable), so the
/// chart's templates are rendered by this stand-in for the part of Helm's template language the chart uses, and for
/// nothing more. Supported, with Go template semantics:
/// <list type="bullet">
/// <item><c>{{ .Values.a.b }}</c> and <c>{{ .Values.a.b | quote }}</c> (<c>quote</c>: Go's <c>%q</c> for the plain
/// strings values hold: backslash and double quote escaped);</item>
/// <item><c>{{ if .Values.a.b }}</c> (Go truthiness: false, 0, "" are false), <c>{{ if eq .Values.a.b "x" }}</c>,
/// <c>{{ else }}</c>, <c>{{ end }}</c>, nested;</item>
/// <item>the <c>{{-</c> / <c>-}}</c> markers, which trim the whitespace before / after the action.</item>
/// </list>
/// Any other action, and a path with no value, throws: a template that goes beyond this subset fails the test instead
/// of rendering differently from Helm. One known difference: Helm reads numbers in values as float64 and prints those
/// of a million and more in exponent form; the chart's numbers (ports, counts, seconds) stay below that.
/// </summary>
public static partial class HelmSubsetRenderer
{
    public static string Render(string template, IReadOnlyDictionary<string, object?> values)
    {
        var output = new StringBuilder();
        // Each frame: is the enclosing block emitting, and has this if already taken a branch.
        var frames = new Stack<(bool ParentActive, bool Taken, bool Active)>();
        bool Active() => frames.Count == 0 || frames.Peek().Active;

        int position = 0;
        foreach (Match action in Action().Matches(template))
        {
            string literal = template[position..action.Index];
            if (action.Groups["trimLeft"].Success)
            {
                literal = literal.TrimEnd(' ', '\t', '\r', '\n');
            }
            if (Active())
            {
                output.Append(literal);
            }
            position = action.Index + action.Length;
            if (action.Groups["trimRight"].Success)
            {
                while (position < template.Length && template[position] is ' ' or '\t' or '\r' or '\n') position++;
            }

            string body = action.Groups["body"].Value.Trim();
            if (body.StartsWith("if ", StringComparison.Ordinal))
            {
                bool parent = Active();
                bool condition = parent && Condition(body[3..].Trim(), values);
                frames.Push((parent, condition, condition));
            }
            else if (body == "else")
            {
                var frame = Pop(frames, body);
                frames.Push((frame.ParentActive, true, frame.ParentActive && !frame.Taken));
            }
            else if (body == "end")
            {
                Pop(frames, body);
            }
            else if (Active())
            {
                output.Append(Expression(body, values));
            }
        }
        if (frames.Count > 0)
        {
            throw new FormatException("Template ends inside an if block.");
        }
        output.Append(template[position..]);
        return output.ToString();
    }

    private static (bool ParentActive, bool Taken, bool Active) Pop(Stack<(bool, bool, bool)> frames, string action) =>
        frames.Count > 0 ? frames.Pop() : throw new FormatException($"'{action}' without an if.");

    private static bool Condition(string condition, IReadOnlyDictionary<string, object?> values)
    {
        var equals = EqCondition().Match(condition);
        if (equals.Success)
        {
            return Text(Lookup(equals.Groups["path"].Value, values)) == equals.Groups["literal"].Value;
        }
        if (ValuesPath().IsMatch(condition))
        {
            return Lookup(condition, values) switch
            {
                bool b => b,
                long n => n != 0,
                string s => s.Length > 0,
                null => false,
                _ => true,
            };
        }
        throw new NotSupportedException($"Condition '{condition}' is outside the template subset this renderer supports.");
    }

    private static string Expression(string body, IReadOnlyDictionary<string, object?> values)
    {
        string[] pipeline = body.Split('|', StringSplitOptions.TrimEntries);
        if (!ValuesPath().IsMatch(pipeline[0]) || pipeline.Length > 2 || (pipeline.Length == 2 && pipeline[1] != "quote"))
        {
            throw new NotSupportedException($"Action '{{{{ {body} }}}}' is outside the template subset this renderer supports.");
        }
        string text = Text(Lookup(pipeline[0], values));
        return pipeline.Length == 2 ? "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"" : text;
    }

    private static string Text(object? value) => value switch
    {
        bool b => b ? "true" : "false",
        long n => n.ToString(CultureInfo.InvariantCulture),
        string s => s,
        _ => throw new NotSupportedException($"A value of type {value?.GetType().Name ?? "null"} cannot be printed by this renderer."),
    };

    private static object? Lookup(string path, IReadOnlyDictionary<string, object?> values)
    {
        object? current = values;
        foreach (string key in path[".Values.".Length..].Split('.'))
        {
            if (current is not IReadOnlyDictionary<string, object?> map || !map.TryGetValue(key, out current))
            {
                throw new KeyNotFoundException($"No value at {path}.");
            }
        }
        return current;
    }

    [GeneratedRegex(@"\{\{(?<trimLeft>-\s)?(?<body>.*?)(?<trimRight>\s-)?\}\}", RegexOptions.Singleline)]
    private static partial Regex Action();

    [GeneratedRegex(@"^eq (?<path>\.Values(?:\.[A-Za-z0-9_]+)+) ""(?<literal>[^""]*)""$")]
    private static partial Regex EqCondition();

    [GeneratedRegex(@"^\.Values(?:\.[A-Za-z0-9_]+)+$")]
    private static partial Regex ValuesPath();
}

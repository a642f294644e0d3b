using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace VoipPlatform.AppHost.Publishing;

/// <summary>
/// Turns objects built from values into Helm templates. <see cref="Mark"/> copies the values with every leaf replaced by
/// a placeholder (a marker string, or for numbers a sentinel number) and remembers its path; the layer builders then
/// build the same typed objects from that copy as from the real values, and <see cref="ToTemplate"/> replaces each
/// placeholder in the serialized YAML by <c>{{ .Values.path }}</c>. So a template is the plain object with its values
/// taken out, by construction, and every image, port and replica count in it comes from <c>values.yaml</c>.
/// </summary>
internal sealed partial class ValuePlaceholders
{
    /// <summary>Sentinel numbers: far above any port, replica count or size the values hold.</summary>
    private const int SentinelBase = 1_234_500_000;

    private readonly List<string> _paths = [];

    private ValuePlaceholders()
    {
    }

    /// <summary>A copy of <paramref name="values"/> whose leaves are placeholders; switches are copied as they are.</summary>
    public static (ChartValues Marked, ValuePlaceholders Placeholders) Mark(ChartValues values)
    {
        var placeholders = new ValuePlaceholders();
        var marked = (ChartValues)placeholders.MarkObject(values, string.Empty);
        return (marked, placeholders);
    }

    /// <summary>The YAML of objects built from marked values, with every placeholder as a template action.</summary>
    public string ToTemplate(string yaml)
    {
        // A marker that is a whole plain scalar is quoted, so "8080" or "true" stays a string after rendering; inside a
        // longer string it is spliced in as is.
        string text = WholeScalarMarker().Replace(yaml, m => $"{m.Groups["lead"].Value}{{{{ .Values.{Path(m.Groups["n"].Value)} | quote }}}}");
        text = Marker().Replace(text, m => $"{{{{ .Values.{Path(m.Groups["n"].Value)} }}}}");
        return Sentinel().Replace(text, m => $"{{{{ .Values.{Path(m.Groups["n"].Value)} }}}}");
    }

    private string Path(string index) => _paths[int.Parse(index, CultureInfo.InvariantCulture)];

    private object MarkObject(object source, string path)
    {
        var copy = Activator.CreateInstance(source.GetType())!;
        foreach (var property in source.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            object value = property.GetValue(source)!;
            string childPath = Join(path, CamelCase(property.Name));
            object marked = property.GetCustomAttribute<ChartSwitchAttribute>() is not null ? value
                // A quantity must still parse as one: a sentinel number, which is its own canonical form.
                : property.GetCustomAttribute<ChartQuantityAttribute>() is not null ? NewSentinel(childPath).ToString(CultureInfo.InvariantCulture)
                : MarkValue(value, childPath);
            property.SetValue(copy, marked);
        }
        return copy;
    }

    private object MarkValue(object value, string path) => value switch
    {
        string => NewMarker(path),
        int => NewSentinel(path),
        IDictionary dictionary => MarkDictionary(dictionary, path),
        _ when value.GetType().IsClass => MarkObject(value, path),
        _ => throw new InvalidOperationException($"values.{path}: {value.GetType().Name} cannot be a template value (use a string, an int or a switch)."),
    };

    private IDictionary MarkDictionary(IDictionary source, string path)
    {
        var copy = (IDictionary)Activator.CreateInstance(source.GetType())!;
        foreach (DictionaryEntry entry in source)
        {
            copy[entry.Key] = MarkValue(entry.Value!, Join(path, (string)entry.Key));
        }
        return copy;
    }

    private string NewMarker(string path)
    {
        _paths.Add(path);
        return $"__VPV{_paths.Count - 1}__";
    }

    private int NewSentinel(string path)
    {
        _paths.Add(path);
        return SentinelBase + _paths.Count - 1;
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    /// <summary>values.yaml keys: <c>TerminationGracePeriodSeconds</c> → <c>terminationGracePeriodSeconds</c>.</summary>
    public static string CamelCase(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    /// <summary>A values key from a resource name: <c>sip-nonce-secret</c> → <c>sipNonceSecret</c> (Go templates take no '-').</summary>
    public static string ValuesKey(string resourceName)
    {
        var key = new StringBuilder();
        bool upper = false;
        foreach (char c in resourceName)
        {
            if (!char.IsLetterOrDigit(c))
            {
                upper = key.Length > 0;
                continue;
            }
            key.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }
        return key.ToString();
    }

    [GeneratedRegex(@"(?<lead>(?:^|\n)[ \t]*(?:- |[^\n:]+: ))__VPV(?<n>\d+)__(?=\r?\n|$)")]
    private static partial Regex WholeScalarMarker();

    [GeneratedRegex(@"__VPV(?<n>\d+)__")]
    private static partial Regex Marker();

    [GeneratedRegex(@"(?<!\d)12345(?<n>\d{5})(?!\d)")]
    private static partial Regex Sentinel();
}

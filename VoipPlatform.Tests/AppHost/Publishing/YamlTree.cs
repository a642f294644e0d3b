using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace VoipPlatform.Tests.AppHost.Publishing;

/// <summary>
/// YAML documents as plain trees: mappings as dictionaries, sequences as lists, and scalars typed as the YAML core
/// schema types them (a plain <c>8080</c> is a number, a quoted <c>"8080"</c> a string), so two files compare equal
/// only when Kubernetes would read the same object from both.
/// </summary>
public static partial class YamlTree
{
    public static List<Dictionary<string, object?>> LoadAll(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents
            .Select(d => Convert(d.RootNode))
            .OfType<Dictionary<string, object?>>()
            .ToList();
    }

    public static Dictionary<string, object?> Load(string text) => LoadAll(text).Single();

    /// <summary>A canonical text of a tree (keys sorted), for comparing and for readable failure messages.</summary>
    public static string Canonical(object? tree) => JsonSerializer.Serialize(Sorted(tree), CanonicalOptions);

    private static readonly JsonSerializerOptions CanonicalOptions = new() { WriteIndented = true };

    private static object? Sorted(object? tree) => tree switch
    {
        Dictionary<string, object?> map => new SortedDictionary<string, object?>(map.ToDictionary(kv => kv.Key, kv => Sorted(kv.Value)), StringComparer.Ordinal),
        List<object?> list => list.Select(Sorted).ToList(),
        _ => tree,
    };

    private static object? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => map.Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => Convert(kv.Value)),
        YamlSequenceNode sequence => sequence.Children.Select(Convert).ToList(),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new NotSupportedException(node.GetType().Name),
    };

    private static object? Scalar(YamlScalarNode scalar)
    {
        string value = scalar.Value ?? string.Empty;
        if (scalar.Style != YamlDotNet.Core.ScalarStyle.Plain)
        {
            return value;
        }
        if (value is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }
        if (value is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
        {
            return value.Equals("true", StringComparison.OrdinalIgnoreCase);
        }
        if (Integer().IsMatch(value))
        {
            return long.Parse(value, CultureInfo.InvariantCulture);
        }
        if (Float().IsMatch(value))
        {
            return double.Parse(value, CultureInfo.InvariantCulture);
        }
        return value;
    }

    /// <summary>A dotted path into a tree: <c>spec.template.spec.containers</c>.</summary>
    public static object? At(this Dictionary<string, object?> tree, string path)
    {
        object? current = tree;
        foreach (string key in path.Split('.'))
        {
            current = current is Dictionary<string, object?> map && map.TryGetValue(key, out var next)
                ? next
                : throw new KeyNotFoundException($"No '{key}' on the way to '{path}'.");
        }
        return current;
    }

    public static Dictionary<string, object?> Map(this Dictionary<string, object?> tree, string path) =>
        (Dictionary<string, object?>)tree.At(path)!;

    public static List<Dictionary<string, object?>> Maps(this Dictionary<string, object?> tree, string path) =>
        ((List<object?>)tree.At(path)!).Cast<Dictionary<string, object?>>().ToList();

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex Integer();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();
}

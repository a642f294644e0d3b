using System.Reflection;
using System.Text;

namespace VoipPlatform.AppHost.Publishing;

/// <summary>
/// The Helm templates: the objects built once per combination of the switches, from values whose leaves are
/// placeholders, then merged per file into <c>if</c>/<c>else</c> branches on the switches that change that file.
/// The template language used is only: <c>{{ .Values.a.b }}</c>, <c>{{ .Values.a.b | quote }}</c>,
/// <c>{{- if eq .Values.a.b "x" }}</c>, <c>{{- if .Values.a.b }}</c>, <c>{{ else }}</c>, <c>{{ end }}</c>.
/// </summary>
internal static class ChartTemplates
{
    /// <summary>A switch: its values path, the settings it takes, and how to set it on a values object.</summary>
    private sealed record Switch(string Path, IReadOnlyList<string> Settings, Action<ChartValues, string> Set, bool IsBool);

    /// <summary>Template text per file name (<c>router-deployment</c> → its template).</summary>
    public static SortedDictionary<string, string> Build(ChartValues defaults, Func<ChartValues, List<ChartFile>> build)
    {
        var switches = FindSwitches(typeof(ChartValues), string.Empty, v => v).ToList();
        var (marked, placeholders) = ValuePlaceholders.Mark(defaults);

        var combinations = new List<(string[] Settings, Dictionary<string, string> Files)>();
        foreach (var settings in Combinations(switches))
        {
            for (int i = 0; i < switches.Count; i++)
            {
                switches[i].Set(marked, settings[i]);
            }
            var files = build(marked).ToDictionary(f => f.Name, f => placeholders.ToTemplate(ChartYaml.Serialize(f.Object)));
            combinations.Add((settings, files));
        }

        var templates = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (string file in combinations.SelectMany(c => c.Files.Keys).Distinct())
        {
            var text = new StringBuilder();
            Emit(text, switches, combinations.Select(c => (c.Settings, c.Files.GetValueOrDefault(file, string.Empty))).ToList(), 0);
            templates[file] = text.ToString();
        }
        return templates;
    }

    private static void Emit(StringBuilder text, List<Switch> switches, List<(string[] Settings, string Text)> cases, int first)
    {
        if (cases.All(c => c.Text == cases[0].Text))
        {
            text.Append(cases[0].Text);
            return;
        }
        int index = Enumerable.Range(first, switches.Count - first).First(i => Matters(cases, i));
        var @switch = switches[index];
        var whenFirst = cases.Where(c => c.Settings[index] == @switch.Settings[0]).ToList();
        var otherwise = cases.Where(c => c.Settings[index] != @switch.Settings[0]).ToList();
        text.Append(@switch.IsBool
            ? $"{{{{- if .Values.{@switch.Path} }}}}\n"
            : $"{{{{- if eq .Values.{@switch.Path} \"{@switch.Settings[0]}\" }}}}\n");
        Emit(text, switches, whenFirst, index + 1);
        if (otherwise.Any(c => c.Text.Length > 0))
        {
            text.Append("{{ else }}\n");
            Emit(text, switches, otherwise, index + 1);
        }
        text.Append("{{ end }}\n");
    }

    /// <summary>Whether switch <paramref name="index"/> changes the text when every other switch is held.</summary>
    private static bool Matters(List<(string[] Settings, string Text)> cases, int index) =>
        cases.GroupBy(c => string.Join('|', c.Settings.Where((_, i) => i != index)))
            .Any(g => g.Select(c => c.Text).Distinct().Count() > 1);

    private static IEnumerable<string[]> Combinations(List<Switch> switches)
    {
        IEnumerable<string[]> all = [[]];
        foreach (var @switch in switches)
        {
            all = all.SelectMany(prefix => @switch.Settings.Select(s => (string[])[.. prefix, s])).ToList();
        }
        return all;
    }

    private static IEnumerable<Switch> FindSwitches(Type type, string path, Func<ChartValues, object> owner)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            string childPath = path.Length == 0 ? ValuePlaceholders.CamelCase(property.Name) : $"{path}.{ValuePlaceholders.CamelCase(property.Name)}";
            if (property.GetCustomAttribute<ChartSwitchAttribute>() is { } attribute)
            {
                if (attribute.Settings.Count != 2)
                {
                    throw new InvalidOperationException($"values.{childPath}: a switch takes exactly two settings (if/else).");
                }
                bool isBool = property.PropertyType == typeof(bool);
                yield return new Switch(childPath, attribute.Settings,
                    (values, setting) => property.SetValue(owner(values), isBool ? bool.Parse(setting) : setting), isBool);
            }
            else if (property.PropertyType.IsClass && property.PropertyType != typeof(string)
                && !property.PropertyType.IsGenericType)
            {
                foreach (var nested in FindSwitches(property.PropertyType, childPath, v => property.GetValue(owner(v))!))
                {
                    yield return nested;
                }
            }
        }
    }
}

using System.Globalization;
using System.Text.RegularExpressions;

namespace LatentRules.Lab.Notebooks;

/// <summary>
/// Papermill's convention: values given with -p name=value are assigned in a new cell (tagged
/// injected-parameters) right after the cell tagged parameters. Each name must be declared there; the value is
/// written as a literal of the declared type (int, long, double, float, bool, string, or one of them nullable, e.g.
/// <c>int? steps = null;</c>, where "null" is a value too).
/// </summary>
public static partial class ParameterInjection
{
    [GeneratedRegex(@"^\s*(?:const\s+)?(?<type>var|(?:int|long|double|float|bool|string)\??)\s+(?<name>[A-Za-z_]\w*)" +
        @"\s*=\s*(?<value>[^;]+);", RegexOptions.Multiline)]
    private static partial Regex Declaration();

    /// <summary>The parameters cell's declarations: each name with its default as written (empty without that
    /// cell).</summary>
    public static IReadOnlyDictionary<string, string> Defaults(NotebookDocument notebook)
    {
        int cell = ParametersCell(notebook);
        return cell < 0 ? new Dictionary<string, string>()
            : Declaration().Matches(notebook.Source(cell))
                .ToDictionary(m => m.Groups["name"].Value, m => m.Groups["value"].Value.Trim());
    }

    private static int ParametersCell(NotebookDocument notebook) =>
        Enumerable.Range(0, notebook.Cells.Count).FirstOrDefault(k => notebook.HasTag(k, "parameters"), -1);

    public static void Inject(NotebookDocument notebook, IReadOnlyList<KeyValuePair<string, string>> values)
    {
        if (values.Count == 0) return;
        int cell = ParametersCell(notebook);
        if (cell < 0) throw new InvalidDataException($"{notebook.Path}: -p given but no cell is tagged 'parameters'");
        var declared = Declaration().Matches(notebook.Source(cell))
            .ToDictionary(m => m.Groups["name"].Value,
                m => TypeOf(m.Groups["type"].Value, m.Groups["value"].Value.Trim()));
        var lines = new List<string> { "// Injected by the lab's runner (-p)" };
        foreach (var (name, raw) in values)
        {
            if (!declared.TryGetValue(name, out string? type))
                throw new ArgumentException($"parameter '{name}' is not declared in the parameters cell (cell " +
                    $"{cell + 1}); declared: {string.Join(", ", declared.Keys)}");
            lines.Add($"{name} = {Literal(type, raw, name)};");
        }
        notebook.InsertCode(cell + 1, string.Join("\n", lines), "injected-parameters");
    }

    private static string TypeOf(string declared, string value) => declared != "var" ? declared
        : value.StartsWith('"') ? "string"
        : value is "true" or "false" ? "bool"
        : value.EndsWith('L') ? "long"
        : value.Contains('.') || value.Contains('e') || value.Contains('E') ? "double"
        : "int";

    private static string Literal(string type, string raw, string name)
    {
        if (type.EndsWith('?')) return raw == "null" ? "null" : Literal(type[..^1], raw, name);
        var inv = CultureInfo.InvariantCulture;
        string Bad() => throw new ArgumentException($"parameter '{name}' is {type}; '{raw}' is not a valid {type}");
        return type switch
        {
            "int" => int.TryParse(raw, NumberStyles.Integer, inv, out int i) ? i.ToString(inv) : Bad(),
            "long" => long.TryParse(raw, NumberStyles.Integer, inv, out long l) ? l.ToString(inv) + "L" : Bad(),
            "double" => double.TryParse(raw, NumberStyles.Float, inv, out double d) ? d.ToString("R", inv) : Bad(),
            "float" => float.TryParse(raw, NumberStyles.Float, inv, out float f) ? f.ToString("R", inv) + "f" : Bad(),
            "bool" => bool.TryParse(raw, out bool b) ? (b ? "true" : "false") : Bad(),
            _ => StringLiteral(raw),
        };
    }

    /// <summary>A C# regular string literal: quotes, backslashes and control characters escaped.</summary>
    public static string StringLiteral(string value)
    {
        var text = new System.Text.StringBuilder("\"");
        foreach (char c in value)
            text.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\0' => "\\0",
                _ when char.IsControl(c) || c is '\u2028' or '\u2029' or '\u0085' => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        return text.Append('"').ToString();
    }
}

using System.Text;
using System.Text.RegularExpressions;
using LatentRules.Torch.Serialization;

namespace LatentRules.Data.Mathematics;

/// <summary>
/// The line format of the study group's published math derivations:
/// <c>performing differentiation for &lt;premise&gt; where the variable is &lt;v&gt; &amp; the result is
/// &lt;conclusion&gt;</c> (likewise integration). The rule is the operator; the variable goes to Fields["variable"].
/// </summary>
public static partial class MathLines
{
    /// <summary>
    /// Operators the format may name (the published files use the first two; the lab adds expansion).
    /// </summary>
    public static readonly string[] Operators = { "differentiation", "integration", "expansion" };

    [GeneratedRegex(
        @"^performing (?<op>\w+) for (?<premise>.+) where the variable is (?<var>\S+) & the result is (?<result>.*)$")]
    private static partial Regex Line();

    /// <summary>Parses one line; null with a reason when it does not fit the format.</summary>
    public static (ReasoningExample? example, string? error) Parse(string text, string id)
    {
        var m = Line().Match(text.TrimEnd('\r'));
        if (!m.Success)
            return (null, "does not match 'performing <operator> for <premise> where the variable is <v> & the " +
                "result is <conclusion>'");
        string op = m.Groups["op"].Value;
        if (!Operators.Contains(op)) return (null, $"unknown operator '{op}' (known: {string.Join(", ", Operators)})");
        string conclusion = m.Groups["result"].Value.Trim();
        if (conclusion.Length == 0) return (null, "empty result");
        return (new ReasoningExample(id, "math", op, new[] { m.Groups["premise"].Value.Trim() }, conclusion,
            new Dictionary<string, string> { ["variable"] = m.Groups["var"].Value }), null);
    }

    /// <summary>
    /// Reads a whole file; every bad line is reported (file:line and why) in one exception, none dropped.
    /// </summary>
    public static List<ReasoningExample> ReadFile(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"math derivations not found: {path}", path);
        var examples = new List<ReasoningExample>();
        var errors = new List<string>();
        int n = 0;
        string stem = Path.GetFileNameWithoutExtension(path);
        foreach (var text in File.ReadLines(path))
        {
            n++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            var (example, error) = Parse(text, $"math-{stem}-{n:D6}");
            if (example is not null) examples.Add(example);
            else errors.Add($"{path}:{n}: {error}");
        }
        if (errors.Count > 0)
            throw new InvalidDataException($"{errors.Count} unreadable line(s):\n" +
                string.Join("\n", errors.Take(50)) + (errors.Count > 50 ? $"\n... and {errors.Count - 50} more" : ""));
        return examples;
    }

    public static string Format(ReasoningExample e) =>
        $"performing {e.Rule} for {e.Premises[0]} where the variable is " +
        $"{e.Field("variable") ?? throw new ArgumentException($"{e.Id}: no 'variable' field")} & the result is " +
        $"{e.Conclusion}";
}

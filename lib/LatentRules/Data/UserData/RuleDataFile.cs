namespace LatentRules.Data.UserData;

/// <summary>
/// A user's own rule-labelled data: a .jsonl or .csv file whose records each give a <c>rule</c>, its
/// <c>premises</c> and a <c>conclusion</c>, and optionally a <c>group</c> (examples of one group go to the
/// held-out test split together). The format is chosen by the extension.
/// <list type="bullet">
/// <item>JSONL: one object per line; "premises" is an array of strings or one string; blank lines are skipped.</item>
/// <item>CSV (RFC 4180): a header row naming the columns in any order; several premises in one cell are
///   separated by <see cref="PremiseSeparator"/> (" | ").</item>
/// </list>
/// Field and column names are matched case-insensitively; texts are trimmed. Any other field (column) is kept
/// in <see cref="ReasoningExample.Fields"/> under its own name: a JSON string as it is, another JSON value as its
/// JSON text; a JSON null or an empty CSV cell is left out. The group is kept there as <see cref="GroupField"/>.
/// Ids are "{stem}-{line}" (the line on which the record starts); Task is <see cref="TaskName"/>.
/// The whole file is checked before anything is returned: every bad input throws one
/// <see cref="InvalidDataException"/> naming the file, the line and the field, and no record is ever dropped.
/// </summary>
public static class RuleDataFile
{
    /// <summary>The key of an example's group in <see cref="ReasoningExample.Fields"/>.</summary>
    public const string GroupField = "group";

    /// <summary>Separates several premises in one CSV cell ("it rains | the match is outdoors").</summary>
    public const string PremiseSeparator = " | ";

    /// <summary>
    /// The fewest examples a rule may have: enough for one in each of train, valid and test.
    /// </summary>
    public const int MinimumPerRule = 3;

    /// <summary>The accepted extensions (case-insensitive).</summary>
    public static readonly IReadOnlyList<string> Extensions = new[] { ".jsonl", ".csv" };

    /// <summary>The task name of a file's examples: "file:" and the file's name without extension.</summary>
    public static string TaskName(string path) => "file:" + Path.GetFileNameWithoutExtension(path);

    /// <summary>Reads and checks the whole file (see the class summary); the examples in file order.</summary>
    public static List<ReasoningExample> Read(string path)
    {
        bool jsonl = IsFormat(path, ".jsonl");
        if (!jsonl && !IsFormat(path, ".csv"))
            throw new InvalidDataException($"{path}: unknown data format '{Path.GetExtension(path)}'; accepted " +
                $"extensions: {string.Join(", ", Extensions)}");
        if (!File.Exists(path)) throw new FileNotFoundException($"rule data file not found: {path}", path);
        string text;
        try { text = File.ReadAllText(path); }
        catch (UnauthorizedAccessException e) { throw new IOException($"{path}: cannot be read ({e.Message})", e); }
        var examples = jsonl ? RuleDataJsonl.Parse(text, path) : RuleDataCsv.Parse(text, path);
        RuleDataChecks.Check(examples, path);
        return examples;
    }

    /// <summary>
    /// Writes examples in the format of the extension: rule, premises, conclusion, then the group and any other
    /// field. Read gives them back (with ids and Task of the new file). A CSV premise may not hold " | ".
    /// </summary>
    public static void Write(string path, IReadOnlyList<ReasoningExample> examples)
    {
        if (IsFormat(path, ".jsonl")) RuleDataJsonl.Write(path, examples);
        else if (IsFormat(path, ".csv")) RuleDataCsv.Write(path, examples);
        else
            throw new ArgumentException($"{path}: unknown data format '{Path.GetExtension(path)}'; accepted " +
                $"extensions: {string.Join(", ", Extensions)}");
    }

    /// <summary>One checked record as an example (texts trimmed by the format readers).</summary>
    internal static ReasoningExample Example(string path, int line, string rule, IReadOnlyList<string> premises,
        string conclusion, string? group, Dictionary<string, string> extra)
    {
        if (group is not null) extra[GroupField] = group;
        return new ReasoningExample($"{Path.GetFileNameWithoutExtension(path)}-{line}", TaskName(path), rule,
            premises, conclusion, extra.Count == 0 ? null : extra);
    }

    /// <summary>The line a read example starts on (the number at the end of its id).</summary>
    internal static int Line(ReasoningExample e) => int.Parse(e.Id[(e.Id.LastIndexOf('-') + 1)..]);

    /// <summary>The four fields the format knows, in the order they are written.</summary>
    internal static readonly string[] Known = { "rule", "premises", "conclusion", GroupField };

    private static bool IsFormat(string path, string extension) =>
        string.Equals(Path.GetExtension(path), extension, StringComparison.OrdinalIgnoreCase);
}

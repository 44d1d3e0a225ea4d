using LatentRules.Data.EntailmentBank;
using LatentRules.Tables;

namespace LatentRules.Data.UserData;

/// <summary>
/// The CSV form of <see cref="RuleDataFile"/>: a header row naming rule, premises, conclusion and optionally group
/// (any order, any case, other columns kept as fields), one record per row, parsed by <see cref="CsvRecords"/>
/// (RFC 4180). Several premises share one cell, separated by <see cref="RuleDataFile.PremiseSeparator"/>.
/// </summary>
internal static class RuleDataCsv
{
    private static readonly string[] Required = { "rule", "premises", "conclusion" };

    public static List<ReasoningExample> Parse(string text, string path)
    {
        var records = CsvRecords.Parse(text, path).Where(r => !IsBlank(r)).ToList();
        if (records.Count == 0)
            throw new InvalidDataException($"{path}:1: empty file; expected a header row such as " +
                "rule,premises,conclusion,group");
        var header = records[0];
        var columns = header.Cells.Select(c => c.Trim()).ToArray();
        string Fail(int line, string what) => throw new InvalidDataException($"{path}:{line}: {what}");
        for (int c = 0; c < columns.Length; c++)
        {
            if (columns[c].Length == 0) Fail(header.Line, $"column {c + 1} of the header has no name");
            int first = Array.FindIndex(columns, x => x.Equals(columns[c], StringComparison.OrdinalIgnoreCase));
            if (first != c) Fail(header.Line, $"column '{columns[c]}' appears twice in the header");
        }
        int Index(string name) => Array.FindIndex(columns, x => x.Equals(name, StringComparison.OrdinalIgnoreCase));
        foreach (var name in Required)
            if (Index(name) < 0)
                Fail(header.Line, $"the header has no '{name}' column (found: {string.Join(", ", columns)}); it " +
                    "needs rule, premises and conclusion, and may have group");
        int rule = Index("rule"), premises = Index("premises"), conclusion = Index("conclusion");
        int group = Index(RuleDataFile.GroupField);
        if (records.Count == 1) Fail(header.Line, "the header is followed by no records");

        var examples = new List<ReasoningExample>(records.Count - 1);
        foreach (var r in records.Skip(1))
        {
            if (r.Cells.Count != columns.Length)
                Fail(r.Line, $"{r.Cells.Count} cells but the header has {columns.Length} columns " +
                    $"({string.Join(", ", columns)})");
            string Cell(int column)
            {
                string s = r.Cells[column].Trim();
                return s.Length > 0 ? s : Fail(r.Line, $"field '{columns[column]}' is empty");
            }
            var premiseList = r.Cells[premises].Split(RuleDataFile.PremiseSeparator).Select(p => p.Trim()).ToList();
            if (premiseList.Count == 1) Cell(premises);
            int empty = premiseList.FindIndex(p => p.Length == 0);
            if (empty >= 0)
                Fail(r.Line, $"field '{columns[premises]}' has an empty premise {empty + 1} (premises are separated " +
                    $"by '{RuleDataFile.PremiseSeparator}')");
            var extra = new Dictionary<string, string>(StringComparer.Ordinal);
            for (int c = 0; c < columns.Length; c++)
                if (c != rule && c != premises && c != conclusion && c != group && r.Cells[c].Length > 0)
                    extra[columns[c]] = r.Cells[c];
            examples.Add(RuleDataFile.Example(path, r.Line, Cell(rule), premiseList, Cell(conclusion),
                group >= 0 ? Cell(group) : null, extra));
        }
        return examples;
    }

    // A line with nothing on it (CsvRecords gives it as one empty cell).
    private static bool IsBlank(CsvRecord r) => r.Cells.Count == 1 && string.IsNullOrWhiteSpace(r.Cells[0]);

    public static void Write(string path, IReadOnlyList<ReasoningExample> examples)
    {
        foreach (var e in examples)
            if (e.Premises.FirstOrDefault(p => p.Contains(RuleDataFile.PremiseSeparator)) is { } p)
                throw new ArgumentException($"{e.Id}: the premise '{p}' holds the CSV premise separator " +
                    $"'{RuleDataFile.PremiseSeparator}'; write this file as .jsonl");
        var fields = examples.SelectMany(e => e.Fields?.Keys ?? Enumerable.Empty<string>())
            .Where(k => k != RuleDataFile.GroupField).Distinct().Order(StringComparer.Ordinal).ToList();
        bool grouped = examples.Any(e => e.Field(RuleDataFile.GroupField) is not null);
        var columns = new List<string> { "rule", "premises", "conclusion" };
        if (grouped) columns.Add(RuleDataFile.GroupField);
        columns.AddRange(fields);
        Frames.FromRows(columns, examples.Select(e =>
        {
            var row = new List<object?>
            {
                e.Rule, string.Join(RuleDataFile.PremiseSeparator, e.Premises), e.Conclusion,
            };
            if (grouped) row.Add(e.Field(RuleDataFile.GroupField));
            row.AddRange(fields.Select(f => (object?)e.Field(f)));
            return row;
        })).WriteCsv(path);
    }
}

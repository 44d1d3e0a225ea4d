namespace LatentRules.Data.EntailmentBank;

/// <summary>
/// Reads the published two-premise step files: header <c>,premise1,premise2,conclusion</c>, an index column
/// first. The steps carry no rule label, so every record gets Rule "unknown"; the index goes to Fields["index"].
/// Any malformed row stops the read with the file, line and fault; no row is ever dropped.
/// </summary>
public static class EntailmentBankCsv
{
    private static readonly string[] Header = { "", "premise1", "premise2", "conclusion" };

    public static List<ReasoningExample> ReadFile(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"EntailmentBank CSV not found: {path}", path);
        return Parse(File.ReadAllText(path), path);
    }

    public static List<ReasoningExample> Parse(string text, string path)
    {
        var records = CsvRecords.Parse(text, path);
        if (records.Count == 0)
            throw new InvalidDataException($"{path}:1: empty file, expected the header ,premise1,premise2,conclusion");
        var header = records[0].Cells.Select(c => c.Trim()).ToArray();
        if (!header.SequenceEqual(Header))
            throw new InvalidDataException($"{path}:1: missing header: expected ',premise1,premise2,conclusion' but " +
                $"found '{string.Join(",", header)}'");
        var examples = new List<ReasoningExample>(records.Count - 1);
        var stem = Path.GetFileNameWithoutExtension(path);
        foreach (var r in records.Skip(1))
        {
            if (r.Cells.Count != 4)
                throw new InvalidDataException($"{path}:{r.Line}: wrong column count: expected 4 (index, premise1, " +
                    $"premise2, conclusion), found {r.Cells.Count}");
            string index = r.Cells[0].Trim(), p1 = r.Cells[1].Trim(), p2 = r.Cells[2].Trim(),
                conclusion = r.Cells[3].Trim();
            if (p1.Length == 0) throw new InvalidDataException($"{path}:{r.Line}: empty premise1");
            if (p2.Length == 0) throw new InvalidDataException($"{path}:{r.Line}: empty premise2");
            if (conclusion.Length == 0) throw new InvalidDataException($"{path}:{r.Line}: empty conclusion");
            examples.Add(new ReasoningExample(
                $"entailmentbank-{stem}-{examples.Count:D6}", "explanatory", "unknown", new[] { p1, p2 }, conclusion,
                new Dictionary<string, string>
                {
                    ["index"] = index, ["source"] = "entailmentbank-csv",
                    ["line"] = r.Line.ToString()
                }));
        }
        return examples;
    }
}

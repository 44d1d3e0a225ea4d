using LatentRules.Tables;
using Microsoft.Data.Analysis;

namespace LatentRules.Data;

/// <summary>
/// A dataset on disk: train.jsonl, valid.jsonl and test.jsonl in one folder (and, on request, the same
/// splits as CSV for spreadsheets). Each file is written atomically.
/// </summary>
public static class DatasetFolder
{
    public static readonly IReadOnlyList<string> SplitNames = new[] { "train", "valid", "test" };

    /// <summary>Writes the three splits; returns the paths written.</summary>
    public static IReadOnlyList<string> Save(string folder, DatasetSplits splits, bool csv = false)
    {
        Directory.CreateDirectory(folder);
        var parts = new[] { splits.Train, splits.Valid, splits.Test };
        var written = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            string jsonl = Path.Combine(folder, SplitNames[i] + ".jsonl");
            ReasoningJsonl.Write(jsonl, parts[i]);
            written.Add(jsonl);
            if (!csv) continue;
            string csvPath = Path.Combine(folder, SplitNames[i] + ".csv");
            ToTable(parts[i]).WriteCsv(csvPath);
            written.Add(csvPath);
        }
        return written;
    }

    /// <summary>Reads the three splits written by <see cref="Save"/>; a missing file is an error naming it.</summary>
    public static DatasetSplits Load(string folder)
    {
        var parts = SplitNames.Select(s => ReasoningJsonl.Read(Path.Combine(folder, s + ".jsonl"))).ToArray();
        return new DatasetSplits(parts[0], parts[1], parts[2]);
    }

    /// <summary>
    /// One row per example: id, task, rule, premise1..premiseK (K = the most premises of any example; fewer
    /// leave cells empty), conclusion, then one column per task field.
    /// </summary>
    public static DataFrame ToTable(IReadOnlyList<ReasoningExample> examples)
    {
        int premises = examples.Count == 0 ? 1 : examples.Max(e => e.Premises.Count);
        var fields = examples.SelectMany(e => e.Fields?.Keys ?? Enumerable.Empty<string>()).Distinct()
            .Order(StringComparer.Ordinal).ToList();
        var columns = new List<string> { "id", "task", "rule" };
        columns.AddRange(Enumerable.Range(1, premises).Select(i => $"premise{i}"));
        columns.Add("conclusion");
        columns.AddRange(fields);
        return Frames.FromRows(columns, examples.Select(e =>
        {
            var row = new List<object?> { e.Id, e.Task, e.Rule };
            row.AddRange(Enumerable.Range(0, premises)
                .Select(i => i < e.Premises.Count ? e.Shown(e.Premises[i]) : null));
            row.Add(e.Shown(e.Conclusion));
            row.AddRange(fields.Select(f => (object?)e.Field(f)));
            return row;
        }));
    }
}

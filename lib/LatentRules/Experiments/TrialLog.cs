using System.Globalization;
using LatentRules.Tables;
using Microsoft.Data.Analysis;

namespace LatentRules.Experiments;

/// <summary>
/// The table the notebooks' "Try this" cells add to: one row per try (when, which notebook, what was changed, the
/// numbers it gave), kept in a CSV file across runs and kernels, so a reader compares a change with the tries before.
/// The file is rewritten whole through a temporary file, so a failed write never loses earlier rows.
/// </summary>
public static class TrialLog
{
    private static readonly string[] Fixed = { "time_utc", "notebook", "change" };

    /// <summary>
    /// Adds a row to <paramref name="file"/> (created with its folder when missing) and returns every row. Numbers
    /// are rounded to 4 decimals; a metric earlier rows lack is a new column, empty for them.
    /// </summary>
    public static DataFrame Add(string file, string notebook, string change,
        IReadOnlyDictionary<string, double> results)
    {
        var rows = Read(file);
        rows.Add(new Dictionary<string, object?>
        {
            ["time_utc"] = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            ["notebook"] = notebook, ["change"] = change,
        }.Concat(results.Select(r => KeyValuePair.Create(r.Key, (object?)Math.Round(r.Value, 4))))
            .ToDictionary(kv => kv.Key, kv => kv.Value));
        var columns = Fixed.Concat(rows.SelectMany(r => r.Keys).Where(k => !Fixed.Contains(k)).Distinct()).ToList();
        var table = Frames.FromRows(columns, rows.Select(r =>
            (IReadOnlyList<object?>)columns.Select(c => r.TryGetValue(c, out var v) ? v : null).ToArray()).ToList());
        if (Path.GetDirectoryName(Path.GetFullPath(file)) is { } folder) Directory.CreateDirectory(folder);
        table.WriteCsv(file);
        return table;
    }

    /// <summary>
    /// Every row of <paramref name="file"/> (none when it does not exist yet): the fixed columns as text, the metrics
    /// as numbers (null where a row has none).
    /// </summary>
    public static List<Dictionary<string, object?>> Read(string file)
    {
        if (!File.Exists(file)) return new();
        var records = FrameFiles.ParseCsv(File.ReadAllText(file), file);
        var header = records.Count > 0 ? records[0].fields : new List<string>();
        foreach (var column in Fixed)
            if (!header.Contains(column))
                throw new InvalidDataException($"{file}: not a trial log (no '{column}' column); give another file");
        var rows = new List<Dictionary<string, object?>>();
        foreach (var (line, fields) in records.Skip(1).Where(r => r.fields.Count > 1 || r.fields[0].Length > 0))
        {
            if (fields.Count != header.Count)
                throw new InvalidDataException($"{file}:{line}: {fields.Count} fields, the header has {header.Count}");
            object? Value(string column, string text) => Fixed.Contains(column) ? text
                : text.Length == 0 ? null
                : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v
                : throw new InvalidDataException($"{file}:{line}: {column} '{text}' is not a number");
            rows.Add(header.Zip(fields).ToDictionary(x => x.First, x => Value(x.First, x.Second)));
        }
        return rows;
    }
}

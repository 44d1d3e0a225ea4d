using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LatentRules.Torch.Serialization;
using Microsoft.Data.Analysis;

namespace LatentRules.Tables;

/// <summary>
/// CSV (RFC 4180) and JSONL reading and writing of DataFrames. Kept beside DataFrame.LoadCsv/SaveCsv because
/// errors here name the file and line (a row with too few fields, an unterminated quote, a line that is not JSON),
/// quoted fields may span lines, and writes are atomic (a temporary file, then a rename).
/// </summary>
public static class FrameFiles
{
    public static void WriteCsv(this DataFrame frame, string path)
    {
        var sb = new StringBuilder();
        sb.Append(string.Join(",", frame.Columns.Select(c => Quote(c.Name)))).Append("\r\n");
        foreach (var row in frame.Records())
            sb.Append(string.Join(",", row.Values.Select(v => Quote(Frames.Cell(v))))).Append("\r\n");
        AtomicFile.WriteAllText(path, sb.ToString());
    }

    private static string Quote(string s) =>
        s.IndexOfAny(new[] { ',', '"', '\n', '\r' }) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;

    /// <summary>Reads a CSV with a header row; numbers and true/false become typed values, empty fields null.</summary>
    public static DataFrame ReadCsv(string path)
    {
        var records = ParseCsv(File.ReadAllText(path), path);
        if (records.Count == 0) throw new InvalidDataException($"{path}: empty file (no header row)");
        var columns = records[0].fields;
        var rows = new List<object?[]>();
        foreach (var (line, fields) in records.Skip(1))
        {
            if (fields.Count == 1 && fields[0].Length == 0) continue;   // blank line
            if (fields.Count != columns.Count)
                throw new InvalidDataException($"{path}:{line}: {fields.Count} fields but the header has " +
                    $"{columns.Count}");
            rows.Add(fields.Select(Parse).ToArray());
        }
        try { return Frames.FromRows(columns, rows); }
        catch (ArgumentException e) { throw new InvalidDataException($"{path}:1: {e.Message}", e); }
    }

    private static object? Parse(string s)
    {
        if (s.Length == 0) return null;
        if (long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l)) return l;
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double d)) return d;
        return s switch { "true" => true, "false" => false, _ => s };
    }

    /// <summary>
    /// RFC 4180 records with the line each starts on; quoted fields may hold commas, quotes and newlines.
    /// </summary>
    public static List<(int line, List<string> fields)> ParseCsv(string text, string path)
    {
        var records = new List<(int, List<string>)>();
        var fields = new List<string>();
        var field = new StringBuilder();
        int line = 1, start = 1, i = 0;
        bool quoted = false, any = false;
        while (i < text.Length)
        {
            char c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i += 2; continue; }
                if (c == '"') { quoted = false; i++; continue; }
                if (c == '\n') line++;
                field.Append(c); i++; continue;
            }
            switch (c)
            {
                case '"' when field.Length == 0: quoted = true; any = true; i++; break;
                case ',': fields.Add(field.ToString()); field.Clear(); any = true; i++; break;
                case '\r' when i + 1 < text.Length && text[i + 1] == '\n': i++; break;
                case '\n':
                    fields.Add(field.ToString()); field.Clear();
                    records.Add((start, fields)); fields = new List<string>();
                    line++; start = line; any = false; i++; break;
                default: field.Append(c); any = true; i++; break;
            }
        }
        if (quoted) throw new InvalidDataException($"{path}:{start}: unterminated quoted field");
        if (any || field.Length > 0 || fields.Count > 0) { fields.Add(field.ToString()); records.Add((start, fields)); }
        return records;
    }

    public static void WriteJsonl(this DataFrame frame, string path)
    {
        var sb = new StringBuilder();
        foreach (var row in frame.Records()) sb.Append(ToJson(row)).Append('\n');
        AtomicFile.WriteAllText(path, sb.ToString());
    }

    internal static string ToJson(IReadOnlyDictionary<string, object?> row)
    {
        var obj = new JsonObject();
        foreach (var (k, v) in row) obj[k] = v is null ? null : JsonValue.Create(v);
        return obj.ToJsonString();
    }

    /// <summary>Reads JSON objects, one per line; columns are the union of keys in order of first appearance.</summary>
    public static DataFrame ReadJsonl(string path)
    {
        var objects = new List<JsonObject>();
        int n = 0;
        foreach (var text in File.ReadLines(path))
        {
            n++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            try
            {
                objects.Add(JsonNode.Parse(text) as JsonObject
                    ?? throw new InvalidDataException($"{path}:{n}: not a JSON object"));
            }
            catch (JsonException e) { throw new InvalidDataException($"{path}:{n}: invalid JSON ({e.Message})", e); }
        }
        var columns = objects.SelectMany(o => o.Select(p => p.Key)).Distinct().ToList();
        return Frames.FromRows(columns, objects.Select(o => columns.Select(c => Value(o[c])).ToArray()));
    }

    private static object? Value(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.TryGetValue(out long l) => l,
        JsonValue v when v.TryGetValue(out double d) => d,
        JsonValue v when v.TryGetValue(out bool b) => b,
        JsonValue v when v.TryGetValue(out string? s) => s,
        _ => node.ToJsonString(),
    };
}

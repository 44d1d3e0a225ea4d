using System.Text.Json;
using System.Text.Json.Nodes;
using LatentRules.Torch.Serialization;

namespace LatentRules.Data.UserData;

/// <summary>
/// The JSONL form of <see cref="RuleDataFile"/>: <c>{"rule": "...", "premises": ["...", "..."], "conclusion":
/// "...", "group": "..."}</c> per line ("premises" may also be one string). Errors name the file, line and field.
/// </summary>
internal static class RuleDataJsonl
{
    private static readonly JsonSerializerOptions Readable = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static List<ReasoningExample> Parse(string text, string path)
    {
        var examples = new List<ReasoningExample>();
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i])) continue;
            JsonDocument doc;
            try { doc = JsonDocument.Parse(lines[i]); }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path}:{i + 1}: malformed JSON ({e.Message})", e);
            }
            using (doc) examples.Add(Record(doc.RootElement, path, i + 1));
        }
        if (examples.Count == 0)
            throw new InvalidDataException($"{path}:1: empty file; expected one JSON object per line with the " +
                "fields rule, premises, conclusion and optionally group");
        return examples;
    }

    private static ReasoningExample Record(JsonElement root, string path, int line)
    {
        string Fail(string what) => throw new InvalidDataException($"{path}:{line}: {what}");
        if (root.ValueKind != JsonValueKind.Object)
            Fail($"the line is not a JSON object (found {Kind(root)}); expected {{\"rule\": ..., \"premises\": " +
                "..., \"conclusion\": ...}");
        var known = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var extra = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in root.EnumerateObject())
        {
            string? name = RuleDataFile.Known.FirstOrDefault(k => k.Equals(p.Name, StringComparison.OrdinalIgnoreCase));
            if ((name is not null && known.ContainsKey(name)) || extra.ContainsKey(p.Name))
                Fail($"field '{name ?? p.Name}' appears twice");
            if (name is not null) known[name] = p.Value;
            else if (p.Value.ValueKind == JsonValueKind.String) extra[p.Name] = p.Value.GetString()!;
            else if (p.Value.ValueKind != JsonValueKind.Null) extra[p.Name] = p.Value.GetRawText();
        }
        string rule = Text(known, "rule", path, line) ?? Fail("field 'rule' is missing");
        string conclusion = Text(known, "conclusion", path, line) ?? Fail("field 'conclusion' is missing");
        var premises = Premises(known, path, line);
        string? group = Text(known, RuleDataFile.GroupField, path, line);
        return RuleDataFile.Example(path, line, rule, premises, conclusion, group, extra);
    }

    // A string field, trimmed; null when absent; an error when of another type or empty.
    private static string? Text(Dictionary<string, JsonElement> known, string field, string path, int line)
    {
        if (!known.TryGetValue(field, out var el)) return null;
        if (el.ValueKind != JsonValueKind.String)
            throw new InvalidDataException($"{path}:{line}: field '{field}' must be a string, found {Kind(el)}");
        string s = el.GetString()!.Trim();
        return s.Length > 0 ? s : throw new InvalidDataException($"{path}:{line}: field '{field}' is empty");
    }

    private static List<string> Premises(Dictionary<string, JsonElement> known, string path, int line)
    {
        string Fail(string what) => throw new InvalidDataException($"{path}:{line}: field 'premises' {what}");
        if (!known.TryGetValue("premises", out var el)) Fail("is missing");
        if (el.ValueKind == JsonValueKind.String) return new List<string> { Text(known, "premises", path, line)! };
        if (el.ValueKind != JsonValueKind.Array)
            Fail($"must be an array of strings or one string, found {Kind(el)}");
        var premises = new List<string>();
        foreach (var item in el.EnumerateArray())
        {
            int n = premises.Count + 1;
            if (item.ValueKind != JsonValueKind.String) Fail($"item {n} must be a string, found {Kind(item)}");
            string s = item.GetString()!.Trim();
            if (s.Length == 0) Fail($"item {n} is empty");
            premises.Add(s);
        }
        if (premises.Count == 0) Fail("is an empty array; a record needs at least one premise");
        return premises;
    }

    private static string Kind(JsonElement el) => el.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    public static void Write(string path, IReadOnlyList<ReasoningExample> examples)
    {
        var sb = new System.Text.StringBuilder();
        foreach (var e in examples)
        {
            var obj = new JsonObject
            {
                ["rule"] = e.Rule,
                ["premises"] = new JsonArray(e.Premises.Select(p => (JsonNode?)JsonValue.Create(p)).ToArray()),
                ["conclusion"] = e.Conclusion,
            };
            if (e.Field(RuleDataFile.GroupField) is { } group) obj[RuleDataFile.GroupField] = group;
            foreach (var (key, value) in (e.Fields ?? new Dictionary<string, string>())
                         .Where(kv => kv.Key != RuleDataFile.GroupField).OrderBy(kv => kv.Key, StringComparer.Ordinal))
                obj[key] = value;
            sb.Append(obj.ToJsonString(Readable)).Append('\n');
        }
        AtomicFile.WriteAllText(path, sb.ToString());
    }
}

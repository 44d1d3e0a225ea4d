using System.Text.Json;
using System.Text.RegularExpressions;

namespace LatentRules.Data.EntailmentBank;

/// <summary>
/// Reads EntailmentBank's tree format (one question per JSON line) and cuts every proof into its single
/// steps, each an example (premises -> conclusion) with Rule "unknown". A line holds "hypothesis", a
/// "proof" such as <c>sent1 &amp; sent3 -> int1: some text; int1 &amp; sent2 -> hypothesis;</c>, and
/// "meta" with "triples" (sentN -> text) and "intermediate_conclusions" (intN -> text). Sentences missing
/// from meta.triples are looked up in "context" (<c>sent1: ... sent2: ...</c>).
/// Any line that cannot be read throws with the file, line and fault.
/// </summary>
public static class EntailmentBankJsonl
{
    private static readonly Regex ContextSentence =
        new(@"(sent\d+):\s*(.*?)\s*(?=sent\d+:|$)", RegexOptions.Singleline);
    private static readonly Regex StepTarget = new(@"^(int\d+)\s*:\s*(.+)$|^hypothesis$", RegexOptions.Singleline);
    private static readonly Regex Reference = new(@"^(sent\d+|int\d+)$");

    public static List<ReasoningExample> ReadFile(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"EntailmentBank JSONL not found: {path}", path);
        var examples = new List<ReasoningExample>();
        int line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            try { examples.AddRange(ParseLine(text, path, line, examples.Count)); }
            catch (JsonException ex)
            {
                throw new InvalidDataException($"{path}:{line}: invalid JSON ({ex.Message})", ex);
            }
        }
        return examples;
    }

    private static List<ReasoningExample> ParseLine(string text, string path, int line, int firstIndex)
    {
        using var doc = JsonDocument.Parse(text);
        var root = doc.RootElement;
        string Fail(string what) => throw new InvalidDataException($"{path}:{line}: {what}");
        if (root.ValueKind != JsonValueKind.Object) Fail("expected a JSON object");
        string id = root.TryGetProperty("id", out var idEl) && idEl.ValueKind == JsonValueKind.String
            ? idEl.GetString()! : $"line{line}";
        string hypothesis = StringField(root, "hypothesis") ?? Fail("missing \"hypothesis\"");
        string proof = StringField(root, "proof") ?? Fail("missing \"proof\"");

        var sentences = new Dictionary<string, string>(StringComparer.Ordinal);
        if (StringField(root, "context") is { } context)
            foreach (Match m in ContextSentence.Matches(context))
                sentences[m.Groups[1].Value] = m.Groups[2].Value.Trim();
        var intermediates = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.TryGetProperty("meta", out var meta) && meta.ValueKind == JsonValueKind.Object)
        {
            CopyStrings(meta, "triples", sentences);
            CopyStrings(meta, "intermediate_conclusions", intermediates);
        }

        var steps = proof.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (steps.Length == 0) Fail("empty \"proof\"");
        var result = new List<ReasoningExample>();
        for (int s = 0; s < steps.Length; s++)
        {
            int arrow = steps[s].IndexOf("->", StringComparison.Ordinal);
            if (arrow < 0) Fail($"proof step {s + 1} '{steps[s]}' has no '->'");
            var refs = steps[s][..arrow].Split('&', StringSplitOptions.TrimEntries);
            var target = StepTarget.Match(steps[s][(arrow + 2)..].Trim());
            if (!target.Success)
                Fail($"proof step {s + 1} '{steps[s]}': the target must be 'intN: text' or 'hypothesis'");
            var premises = new List<string>();
            foreach (var r in refs)
            {
                if (!Reference.IsMatch(r))
                    Fail($"proof step {s + 1}: '{r}' is not a sentence (sentN) or intermediate (intN) reference");
                var dict = r.StartsWith("sent", StringComparison.Ordinal) ? sentences : intermediates;
                if (!dict.TryGetValue(r, out var premise) || string.IsNullOrWhiteSpace(premise))
                    Fail($"proof step {s + 1}: '{r}' is not defined in the context, meta.triples or an earlier step");
                premises.Add(premise!.Trim());
            }
            if (premises.Count == 0) Fail($"proof step {s + 1} has no premises");
            string conclusion, label;
            if (target.Groups[1].Success)
            {
                label = target.Groups[1].Value;
                conclusion = target.Groups[2].Value.Trim();
                intermediates[label] = conclusion; // later steps refer to it by name
            }
            else { label = "hypothesis"; conclusion = hypothesis.Trim(); }
            if (conclusion.Length == 0) Fail($"proof step {s + 1}: empty conclusion");
            result.Add(new ReasoningExample(
                $"entailmentbank-{firstIndex + result.Count:D6}", "explanatory", "unknown", premises, conclusion,
                new Dictionary<string, string>
                {
                    ["source"] = "entailmentbank-jsonl", ["tree_id"] = id, ["step"] = (s + 1).ToString(),
                    ["target"] = label, ["premise_refs"] = string.Join(" & ", refs), ["line"] = line.ToString(),
                }));
        }
        return result;
    }

    private static string? StringField(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var el) && el.ValueKind == JsonValueKind.String ? el.GetString() : null;

    private static void CopyStrings(JsonElement obj, string name, Dictionary<string, string> into)
    {
        if (!obj.TryGetProperty(name, out var el) || el.ValueKind != JsonValueKind.Object) return;
        foreach (var p in el.EnumerateObject())
            if (p.Value.ValueKind == JsonValueKind.String) into[p.Name] = p.Value.GetString()!;
    }
}

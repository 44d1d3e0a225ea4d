using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using LatentRules.Torch.Serialization;

namespace LatentRules.Data;

/// <summary>
/// Reads and writes <see cref="ReasoningExample"/> records as JSON lines. Errors name the file and line.
/// </summary>
public static class ReasoningJsonl
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Writes the records atomically (temporary file, then rename).</summary>
    public static void Write(string path, IEnumerable<ReasoningExample> examples)
    {
        var sb = new StringBuilder();
        foreach (var e in examples) sb.Append(JsonSerializer.Serialize(e, Options)).Append('\n');
        AtomicFile.WriteAllText(path, sb.ToString());
    }

    public static List<ReasoningExample> Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"dataset not found: {path}", path);
        var result = new List<ReasoningExample>();
        int line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            ReasoningExample? e;
            try { e = JsonSerializer.Deserialize<ReasoningExample>(text, Options); }
            catch (JsonException ex)
            {
                throw new InvalidDataException($"{path}:{line}: invalid record ({ex.Message})", ex);
            }
            if (e is null || string.IsNullOrEmpty(e.Id) || string.IsNullOrEmpty(e.Rule) || e.Premises is null
                || e.Premises.Count == 0 || e.Conclusion is null)
                throw new InvalidDataException($"{path}:{line}: a record needs id, task, rule, at least one premise " +
                    $"and a conclusion");
            result.Add(e);
        }
        return result;
    }
}

using System.Text.Json;

namespace LatentRules.Tokenizers;

/// <summary>Loads a tokenizer from its JSON file, whichever kind it is.</summary>
public static class TokenizerFile
{
    /// <summary>
    /// A word-level vocabulary saved by <see cref="WordTokenizer.Save"/> (<c>"type": "word-level"</c>) or a Hugging
    /// Face tokenizer.json of the byte-level BPE kind (it has a <c>model</c>); "qwen" names the installed Qwen one;
    /// a BERT vocab.txt (cased) is read by <see cref="WordPieceTokenizer"/>.
    /// </summary>
    public static ITokenizer Load(string path)
    {
        if (path == "qwen") return ByteLevelBpeTokenizer.Qwen();
        if (Path.GetExtension(path) == ".txt") return WordPieceTokenizer.Load(path);
        using var doc = Parse(path);
        var root = doc.RootElement;
        if (root.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
            && type.GetString() == WordTokenizer.FileType)
            return WordTokenizer.FromJson(root, path);
        if (root.TryGetProperty("model", out _)) return ByteLevelBpeTokenizer.FromJson(root, path);
        throw new InvalidDataException($"{path}: neither a word-level vocabulary (\"type\": " +
            $"\"{WordTokenizer.FileType}\") nor a Hugging Face tokenizer.json (no \"model\")");
    }

    /// <summary>
    /// The file's JSON, whose root must be an object; missing files and bad JSON are reported with the path.
    /// </summary>
    internal static JsonDocument Parse(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"tokenizer not found: {path}", path);
        JsonDocument doc;
        try { doc = JsonDocument.Parse(File.ReadAllBytes(path)); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: invalid JSON ({e.Message})", e); }
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
        {
            doc.Dispose();
            throw new InvalidDataException($"{path}: the JSON root must be an object");
        }
        return doc;
    }
}

using System.Text.Json;

namespace LatentRules.Tokenizers;

/// <summary>
/// The special tokens a Hugging Face folder names in its tokenizer_config.json (tokenizer.json itself does not say
/// which added token ends a sequence or pads a batch): eos_token, pad_token and bos_token, each a string or an object
/// with "content", and BERT's do_lower_case. Absent file or field: null (false for do_lower_case).
/// </summary>
public sealed record TokenizerConfig(string? EosToken, string? PadToken, string? BosToken, bool LowerCase = false)
{
    public const string FileName = "tokenizer_config.json";

    /// <summary>The config beside <paramref name="tokenizerPath"/>, or all nulls when there is none.</summary>
    public static TokenizerConfig Beside(string tokenizerPath)
    {
        string path = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(tokenizerPath))!, FileName);
        if (!File.Exists(path)) return new TokenizerConfig(null, null, null);
        using var doc = TokenizerFile.Parse(path);
        var fields = new JsonFields(path);
        string? Token(string name) => fields.Optional(doc.RootElement, name) switch
        {
            null => null,
            { ValueKind: JsonValueKind.String } s => s.GetString(),
            { ValueKind: JsonValueKind.Object } o =>
                fields.String(fields.Required(o, "content", name + ".content"), name + ".content"),
            { } other =>
                throw fields.Error(name, $"must be a string or an object with \"content\", not {other.ValueKind}"),
        };
        return new TokenizerConfig(Token("eos_token"), Token("pad_token"), Token("bos_token"),
            fields.Bool(doc.RootElement, "do_lower_case", "do_lower_case"));
    }
}

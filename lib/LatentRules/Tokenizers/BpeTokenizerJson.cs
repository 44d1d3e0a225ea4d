using System.Text.Json;

namespace LatentRules.Tokenizers;

/// <summary>
/// What a byte-level BPE tokenizer.json defines: the model's vocabulary and merges ("a b", in rank order), the added
/// tokens, NFC or no normaliser.
/// </summary>
internal sealed record BpeTokenizerSpec(Dictionary<string, int> Vocab, List<string> Merges, List<AddedToken> Added,
    bool Nfc);

/// <summary>
/// Reads a Hugging Face tokenizer.json of the Qwen2 / Qwen2.5 kind and refuses, naming the field, every setting the
/// lab's tokenizer (Microsoft.ML.Tokenizers' BPE behind the Qwen split) would not reproduce.
/// </summary>
internal static class BpeTokenizerJson
{
    public static BpeTokenizerSpec Read(JsonElement root, string path)
    {
        var json = new JsonFields(path);
        foreach (var field in new[] { "truncation", "padding" })
            if (json.Optional(root, field) is not null)
                throw json.Error(field, "is not supported (expected null); pad batches with PaddedBatch");
        bool nfc = json.Optional(root, "normalizer") is { } norm && json.Type(norm, "normalizer") switch
        {
            "NFC" => true,
            var t => throw json.Error("normalizer.type", $"'{t}' is not supported (NFC or no normalizer)"),
        };
        CheckPreTokenizer(json.Required(root, "pre_tokenizer", "pre_tokenizer"), json);
        if (json.Optional(root, "post_processor") is { } post && json.Type(post, "post_processor") != "ByteLevel")
            throw json.Error("post_processor.type",
                $"'{json.Type(post, "post_processor")}' is not supported (ByteLevel or none: no tokens added)");
        var decoder = json.Required(root, "decoder", "decoder");
        if (json.Type(decoder, "decoder") != "ByteLevel")
            throw json.Error("decoder.type", $"'{json.Type(decoder, "decoder")}' is not supported (ByteLevel)");

        var model = json.Required(root, "model", "model");
        if (json.Type(model, "model") != "BPE")
            throw json.Error("model.type", $"'{json.Type(model, "model")}' is not supported (BPE)");
        if (json.Optional(model, "dropout") is { } dropout
            && !(dropout.ValueKind == JsonValueKind.Number && dropout.GetDouble() == 0))
            throw json.Error("model.dropout", "BPE dropout is not supported (expected null)");
        if (json.Bool(model, "byte_fallback", "model.byte_fallback"))
            throw json.Error("model.byte_fallback", "true is not supported");
        // Microsoft.ML.Tokenizers' BPE always merges; a whole-word vocabulary lookup first (Llama 3) is not offered.
        if (json.Bool(model, "ignore_merges", "model.ignore_merges"))
            throw json.Error("model.ignore_merges", "true is not supported");
        foreach (var affix in new[] { "continuing_subword_prefix", "end_of_word_suffix" })
            if (json.Optional(model, affix) is { } a && json.String(a, $"model.{affix}") != "")
                throw json.Error($"model.{affix}", "is not supported (expected \"\" or null)");

        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        var vocabJson = json.Required(model, "vocab", "model.vocab");
        if (vocabJson.ValueKind != JsonValueKind.Object)
            throw json.Error("model.vocab", "must be an object of token: id");
        foreach (var p in vocabJson.EnumerateObject())
        {
            // The library's byte-level decoder reads every character as a byte.
            if (!ByteLevelAlphabet.Spells(p.Name))
                throw json.Error($"model.vocab['{p.Name}']", "has a character outside the byte-level alphabet");
            vocab[p.Name] = json.Id(p.Value, $"model.vocab['{p.Name}']");
        }
        var merges = ReadMerges(model, vocab, json);
        for (int b = 0; b < 256; b++)
            if (!vocab.ContainsKey(ByteLevelAlphabet.ByteToChar[b].ToString()))
                throw json.Error("model.vocab", $"lacks '{ByteLevelAlphabet.ByteToChar[b]}', the token of byte " +
                    $"0x{b:X2} (a byte-level vocabulary has all 256)");
        return new BpeTokenizerSpec(vocab, merges, ReadAddedTokens(root, json), nfc);
    }

    private static List<string> ReadMerges(JsonElement model, Dictionary<string, int> vocab, JsonFields json)
    {
        var merges = new List<string>();
        var seen = new Dictionary<(string, string), int>();
        var mergesJson = json.Required(model, "merges", "model.merges");
        if (mergesJson.ValueKind != JsonValueKind.Array) throw json.Error("model.merges", "must be an array");
        int k = 0;
        foreach (var m in mergesJson.EnumerateArray())
        {
            string field = $"model.merges[{k}]";
            var (left, right) = m.ValueKind switch
            {
                JsonValueKind.String when m.GetString()!.Split(' ') is { Length: 2 } parts => (parts[0], parts[1]),
                JsonValueKind.Array when m.GetArrayLength() == 2 =>
                    (json.String(m[0], field), json.String(m[1], field)),
                _ => throw json.Error(field, $"is neither \"a b\" nor [\"a\", \"b\"]: {m.GetRawText()}"),
            };
            foreach (var token in new[] { left, right, left + right })
                if (!vocab.ContainsKey(token)) throw json.Error(field, $"'{token}' is not in model.vocab");
            // Hugging Face keeps the last rank of a repeated pair; the library refuses repeats, so say so here.
            if (!seen.TryAdd((left, right), k))
                throw json.Error(field, $"repeats the pair of model.merges[{seen[(left, right)]}]");
            merges.Add(left + " " + right);   // byte-level tokens have no spaces (a space is 'Ġ')
            k++;
        }
        return merges;
    }

    private static List<AddedToken> ReadAddedTokens(JsonElement root, JsonFields json)
    {
        var added = new List<AddedToken>();
        if (json.Optional(root, "added_tokens") is not { } addedJson) return added;
        if (addedJson.ValueKind != JsonValueKind.Array) throw json.Error("added_tokens", "must be an array");
        int k = 0;
        foreach (var t in addedJson.EnumerateArray())
        {
            string field = $"added_tokens[{k++}]";
            if (t.ValueKind != JsonValueKind.Object) throw json.Error(field, "must be an object");
            string content = json.String(json.Required(t, "content", field + ".content"), field + ".content");
            if (content.Length == 0) throw json.Error(field + ".content", "is empty");
            foreach (var flag in new[] { "lstrip", "rstrip", "single_word" })
                if (json.Bool(t, flag, $"{field}.{flag}"))
                    throw json.Error($"{field}.{flag}", $"true is not supported ('{content}')");
            bool special = json.Bool(t, "special", field + ".special");
            added.Add(new AddedToken(json.Id(json.Required(t, "id", field + ".id"), field + ".id"), content, special,
                json.Optional(t, "normalized") is null ? !special : json.Bool(t, "normalized", field + ".normalized")));
        }
        return added;
    }

    // Exactly the Qwen form: Sequence[Split(Qwen pattern, Isolated), ByteLevel(add_prefix_space false, use_regex
    // false)].
    private static void CheckPreTokenizer(JsonElement pre, JsonFields json)
    {
        const string form = "Sequence[Split (Qwen pattern, Isolated), ByteLevel (no prefix space, no regex)]";
        if (json.Type(pre, "pre_tokenizer") != "Sequence")
            throw json.Error("pre_tokenizer.type",
                $"'{json.Type(pre, "pre_tokenizer")}' is not supported (expected {form})");
        var steps = json.Required(pre, "pretokenizers", "pre_tokenizer.pretokenizers");
        if (steps.ValueKind != JsonValueKind.Array || steps.GetArrayLength() != 2)
            throw json.Error("pre_tokenizer.pretokenizers", $"expected two steps: {form}");
        var (split, byteLevel) = (steps[0], steps[1]);
        const string s = "pre_tokenizer.pretokenizers[0]", b = "pre_tokenizer.pretokenizers[1]";
        if (json.Type(split, s) != "Split")
            throw json.Error(s + ".type", $"'{json.Type(split, s)}' is not supported (expected {form})");
        var pattern = json.Required(split, "pattern", s + ".pattern");
        if (json.Optional(pattern, "Regex") is not { } regex
            || json.String(regex, s + ".pattern.Regex") != QwenPreTokenizer.Pattern)
            throw json.Error(s + ".pattern",
                $"only the Qwen2 pattern is implemented ({QwenPreTokenizer.Pattern}), not {pattern.GetRawText()}");
        if (json.Optional(split, "behavior") is not { } behavior
            || json.String(behavior, s + ".behavior") != "Isolated")
            throw json.Error(s + ".behavior", "only Isolated is supported");
        if (json.Bool(split, "invert", s + ".invert")) throw json.Error(s + ".invert", "true is not supported");
        if (json.Type(byteLevel, b) != "ByteLevel")
            throw json.Error(b + ".type", $"'{json.Type(byteLevel, b)}' is not supported (expected {form})");
        if (json.Bool(byteLevel, "add_prefix_space", b + ".add_prefix_space"))
            throw json.Error(b + ".add_prefix_space", "true is not supported");
        if (json.Optional(byteLevel, "use_regex") is null || json.Bool(byteLevel, "use_regex", b + ".use_regex"))
            throw json.Error(b + ".use_regex",
                "must be false (the GPT-2 split is not implemented; the Split step splits)");
    }
}

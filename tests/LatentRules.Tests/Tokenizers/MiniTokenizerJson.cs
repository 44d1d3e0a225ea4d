using System.Text.Json.Nodes;
using LatentRules.Tokenizers;

namespace LatentRules.Tests.Tokenizers;

/// <summary>
/// A small tokenizer.json of the Qwen kind made in the test: the 256 byte-level characters, a few merges
/// ("h e", "l l", "he ll", "hell o", "Ġ w", ...) and three added tokens.
/// </summary>
public static class MiniTokenizerJson
{
    public static readonly (string left, string right)[] Merges =
        { ("h", "e"), ("l", "l"), ("he", "ll"), ("hell", "o"), ("Ġ", "w"), ("o", "r"), ("Ġw", "or"), ("l", "d"),
            ("Ġwor", "ld") };

    public static JsonObject Build(bool mergesAsStrings = false)
    {
        var vocab = new JsonObject();
        int next = 0;
        foreach (char c in ByteLevelAlphabet.ByteToChar) vocab[c.ToString()] = next++;
        foreach (var (l, r) in Merges) vocab[l + r] = next++;
        var merges = new JsonArray(Merges.Select(m => mergesAsStrings
            ? (JsonNode)JsonValue.Create($"{m.left} {m.right}")! : new JsonArray(m.left, m.right)).ToArray());
        JsonObject Added(int id, string content, bool special, bool normalized) => new()
        {
            ["id"] = id, ["content"] = content, ["single_word"] = false, ["lstrip"] = false, ["rstrip"] = false,
            ["normalized"] = normalized, ["special"] = special,
        };
        JsonObject ByteLevel() =>
            new()
            {
                ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = false,
                ["use_regex"] = false
            };
        return new JsonObject
        {
            ["version"] = "1.0", ["truncation"] = null, ["padding"] = null,
            ["added_tokens"] = new JsonArray(Added(300, "<|endoftext|>", true, false), Added(301, "<x>", false, false),
                Added(302, "café", false, true)),
            ["normalizer"] = new JsonObject { ["type"] = "NFC" },
            ["pre_tokenizer"] = new JsonObject
            {
                ["type"] = "Sequence",
                ["pretokenizers"] = new JsonArray(
                    new JsonObject
                    {
                        ["type"] = "Split",
                        ["pattern"] = new JsonObject { ["Regex"] = QwenPreTokenizer.Pattern },
                        ["behavior"] = "Isolated", ["invert"] = false
                    },
                    ByteLevel()),
            },
            ["post_processor"] = ByteLevel(),
            ["decoder"] = ByteLevel(),
            ["model"] = new JsonObject
            {
                ["type"] = "BPE", ["dropout"] = null, ["unk_token"] = null, ["continuing_subword_prefix"] = "",
                ["end_of_word_suffix"] = "",
                ["fuse_unk"] = false, ["byte_fallback"] = false, ["ignore_merges"] = false, ["vocab"] = vocab,
                ["merges"] = merges,
            },
        };
    }

    public static int Id(char byteLevelChar) => Array.IndexOf(ByteLevelAlphabet.ByteToChar, byteLevelChar);
    public static int Id(string merged) => 256 + Array.FindIndex(Merges, m => m.left + m.right == merged);
}

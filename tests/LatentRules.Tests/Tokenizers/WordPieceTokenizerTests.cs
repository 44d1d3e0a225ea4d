using System.Text.Json;
using System.Text.Json.Nodes;
using LatentRules.Tests.Support;
using LatentRules.Tokenizers;

namespace LatentRules.Tests.Tokenizers;

/// <summary>BERT's WordPiece tokenizer: hand-worked cases, and ids equal to @huggingface/tokenizers on a varied
/// corpus.</summary>
public sealed class WordPieceTokenizerTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"lr-wordpiece-{Guid.NewGuid():N}");

    public WordPieceTokenizerTests() => Directory.CreateDirectory(_dir);
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly string[] Small =
    {
        "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "un", "##aff", "##able", "run", "##ning", ",", ".", "!",
        "'", "s",
        "a", "##b", "##c", "hello", "world", "机", "器", "é", "𝒜", "##𝒜",
    };

    [Fact]
    public void HandWorkedCases()
    {
        var t = new WordPieceTokenizer(Small);
        Assert.Equal(new[] { 6, 7, 8 }, t.Encode("unaffable"));                             // un ##aff ##able
        Assert.Equal(new[] { 2, 5, 9, 10, 11, 19, 13, 3 }, t.Encode("the running, hello!", addSpecialTokens: true));
        // one unknown piece: the whole word is [UNK]
        Assert.Equal(new[] { 1 }, t.Encode("unaffablex"));
        // longest match first, then continuations
        Assert.Equal(new[] { 16, 17, 18, 17 }, t.Encode("abcb"));
        // ideographs are words of their own
        Assert.Equal(new[] { 21, 22, 20 }, t.Encode("机器world"));
        // also outside the BMP (as the Rust tokenizer)
        Assert.Equal(new[] { 1, 1, 20 }, t.Encode("\U00020000\U00020001world"));
        Assert.Equal(new[] { 1 }, t.Encode("The"));                                           // cased: no lower-casing
        Assert.Equal(new[] { 5 }, new WordPieceTokenizer(Small, lowerCase: true).Encode("THE"));
        // İ lower-cases to i + U+0307
        Assert.Equal(new[] { 9, 10 }, new WordPieceTokenizer(Small, lowerCase: true).Encode("RUNN\u0130NG"));
        Assert.Equal(new[] { 1 }, t.Encode(new string('a', 101)));                            // over 100 characters
        // specials kept whole, NUL dropped
        Assert.Equal(new[] { 2, 5, 3 }, t.Encode("[CLS] the\u0000 [SEP]"));
        // specials found inside words too (as Hugging Face)
        Assert.Equal(new[] { 2, 5, 3, 4, 16 }, t.Encode("[CLS]the[SEP][MASK]a"));
        // a lone surrogate is U+FFFD, which is dropped
        Assert.Equal(new[] { 16, 17 }, t.Encode("a\uD800b"));
        // The 100-character limit counts code points: 100 letters outside the BMP (200 UTF-16 units) are a word.
        Assert.Equal(new[] { 24 }.Concat(Enumerable.Repeat(25, 99)),
            t.Encode(string.Concat(Enumerable.Repeat("𝒜", 100))));
        Assert.Equal(new[] { 1 }, t.Encode(string.Concat(Enumerable.Repeat("𝒜", 101))));
        Assert.Equal("the running, hello!", t.Decode(t.Encode("the running , hello !")));
        Assert.Equal("unaffable", t.Decode(new[] { 2, 6, 7, 8, 3 }, skipSpecialTokens: true));
    }

    [Fact]
    public void BadVocabulariesAreRefusedByLine()
    {
        Assert.Contains("the special token [SEP] is missing",
            Assert.Throws<InvalidDataException>(() => new WordPieceTokenizer(new[] { "[PAD]", "[UNK]", "[CLS]" }))
                .Message);
        string path = Path.Combine(_dir, "vocab.txt");
        File.WriteAllText(path, "[PAD]\n[UNK]\n[CLS]\n[SEP]\nthe\r\nx\ry\n");
        Assert.Contains("vocab.txt: line 6 contains a carriage return",
            Assert.Throws<InvalidDataException>(() => WordPieceTokenizer.Load(path)).Message);
        // 0xFF is never UTF-8
        File.WriteAllBytes(path, "[PAD]\n[UNK]\n[CLS]\n[SEP]\nthe".Select(c => (byte)c).Append((byte)0xFF).ToArray());
        Assert.Contains("vocab.txt: not valid UTF-8",
            Assert.Throws<InvalidDataException>(() => WordPieceTokenizer.Load(path)).Message);
        File.WriteAllText(path, "[PAD]\n[UNK]\n[CLS]\n[SEP]\n\nthe\n");
        Assert.Contains("vocab.txt: line 5 is empty",
            Assert.Throws<InvalidDataException>(() => WordPieceTokenizer.Load(path)).Message);
        File.WriteAllText(path, "[PAD]\n[UNK]\n[CLS]\n[SEP]\nthe\nthe\n");
        Assert.Contains("vocab.txt: line 6 repeats the token 'the' of line 5",
            Assert.Throws<InvalidDataException>(() => WordPieceTokenizer.Load(path)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new WordPieceTokenizer(Small).Decode(new[] { 99 }));
        File.WriteAllText(path, string.Join("\n", Small));                                      // no final newline
        Assert.Equal(new[] { 6, 7, 8 },
            Assert.IsType<WordPieceTokenizer>(TokenizerFile.Load(path)).Encode("unaffable"));
    }

    private static IEnumerable<string> CodePoints(string word)
    {
        for (int i = 0; i < word.Length; i += char.IsSurrogatePair(word, i) ? 2 : 1)
            yield return char.ConvertFromUtf32(char.ConvertToUtf32(word, i));
    }

    [Fact]
    public void IdsEqualTheHuggingFaceTokenizer()
    {
        var corpus = TokenizerReference.Corpus(400);
        // A vocabulary built from the corpus: whole frequent words, prefixes, suffix pieces and most single characters
        // (a few left out so that some words become [UNK]).
        var probe = new WordPieceTokenizer(new[] { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]" });
        var words = corpus.SelectMany(probe.BasicTokens).ToList();
        var vocabulary = new List<string> { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]" };
        var seen = new HashSet<string>(vocabulary);
        void Add(string token) { if (token.Length > 0 && seen.Add(token)) vocabulary.Add(token); }
        foreach (var w in words.GroupBy(w => w).OrderByDescending(g => g.Count())
                     .ThenBy(g => g.Key, StringComparer.Ordinal).Take(300))
            Add(w.Key);
        // Pieces are cut at code points: a cut inside a surrogate pair would not be a string the JSON reference can
        // read.
        foreach (var w in words.Select(w => CodePoints(w).ToList()).Where(c => c.Count > 4)
                     .Select(c => (c, key: string.Concat(c)))
                     .DistinctBy(x => x.key).OrderBy(x => x.key, StringComparer.Ordinal).Take(400).Select(x => x.c))
        {
            Add(string.Concat(w.Take(3))); Add("##" + string.Concat(w.Skip(3).Take(2)));
            Add("##" + string.Concat(w.TakeLast(2)));
        }
        var characters = words.SelectMany(CodePoints).Distinct().OrderBy(c => c, StringComparer.Ordinal).ToList();
        foreach (var (c, k) in characters.Select((c, k) => (c, k)).Where(p => p.k % 11 != 5)) { Add(c); Add("##" + c); }

        var json = new JsonObject
        {
            ["version"] = "1.0",
            ["added_tokens"] = new JsonArray(vocabulary.Take(5).Select((t, id) => (JsonNode)new JsonObject
            {
                ["id"] = id, ["content"] = t, ["single_word"] = false, ["lstrip"] = false, ["rstrip"] = false,
                ["normalized"] = false, ["special"] = true,
            }).ToArray()),
            ["normalizer"] = new JsonObject
            {
                ["type"] = "BertNormalizer", ["clean_text"] = true,
                ["handle_chinese_chars"] = true, ["strip_accents"] = null, ["lowercase"] = false
            },
            ["pre_tokenizer"] = new JsonObject { ["type"] = "BertPreTokenizer" },
            ["post_processor"] = null,
            ["decoder"] = new JsonObject { ["type"] = "WordPiece", ["prefix"] = "##", ["cleanup"] = true },
            ["model"] = new JsonObject
            {
                ["type"] = "WordPiece", ["unk_token"] = "[UNK]", ["continuing_subword_prefix"] = "##",
                ["max_input_chars_per_word"] = 100,
                ["vocab"] = new JsonObject(vocabulary.Select((t, id) => KeyValuePair.Create(t, (JsonNode?)id))),
            },
        };
        string tokenizerJson = Path.Combine(_dir, "tokenizer.json");
        File.WriteAllText(tokenizerJson, json.ToJsonString());
        File.WriteAllText(Path.Combine(_dir, "vocab.txt"), string.Join("\n", vocabulary) + "\n");

        var ours = WordPieceTokenizer.Load(Path.Combine(_dir, "vocab.txt"));
        var theirs = TokenizerReference.Encode(tokenizerJson, corpus).Ids;
        int unknown = 0, compared = 0;
        for (int i = 0; i < corpus.Count; i++)
        {
            // The JS port looks for CJK ideographs one UTF-16 unit at a time, so it misses those outside the BMP
            // (U+20000...), which the Rust tokenizer and Python's BertTokenizer split off; we follow those two.
            if (CodePoints(corpus[i]).Any(c => c.Length == 2 && char.ConvertToUtf32(c, 0) is >= 0x20000 and <= 0x2FA1F))
                continue;
            compared++;
            var ids = ours.Encode(corpus[i]);
            unknown += ids.Count(id => id == ours.UnknownId);
            Assert.True(theirs[i].SequenceEqual(ids),
                $"line {i} {JsonSerializer.Serialize(corpus[i])}: ours [{string.Join(",", ids)}], theirs " +
                $"[{string.Join(",", theirs[i])}]");
        }
        // the left-out characters do make [UNK]s
        Assert.InRange(unknown, 1, corpus.Count * 20);
        Assert.True(compared >= corpus.Count - 3, $"compared {compared} of {corpus.Count} lines");
    }
}

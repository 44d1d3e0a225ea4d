using System.Text.Json;
using LatentRules.Tests.Support;
using LatentRules.Tokenizers;

namespace LatentRules.Tests.Tokenizers;

public sealed class WordTokenizerTests : IDisposable
{
    private static readonly string[] Corpus =
        { "All cats are mammals.", "All mammals are animals.", "Therefore all cats are animals.", "d/dx \\frac{x}{2}" };
    private readonly string _dir = Directory.CreateTempSubdirectory("lr-word-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void VocabularyIsOrderedByFrequencyThenOrdinally()
    {
        var tok = WordTokenizer.Build(Corpus);
        Assert.Equal(WordTokenizer.Specials, tok.Words.Take(5));
        Assert.Equal((0, 1, 2), (tok.PadId, tok.BosId, tok.EosId));
        // are, . (3 each) > All, animals, cats, mammals (2 each) > the rest (1 each), ties ordinal.
        Assert.Equal(new[] { ".", "are", "All", "animals", "cats", "mammals" }, tok.Words.Skip(5).Take(6));
        Assert.Contains("\\frac", tok.Words);
        Assert.Equal(new[] { 1, tok.Encode("All")[0], 3, 4, tok.Encode("cats")[0], 2 },
            tok.EncodeSegments("All dogs", "cats"));
        Assert.Equal(new[] { 1, tok.Encode("All")[0], 3, 2 }, tok.Encode("All dogs", addSpecialTokens: true));
        Assert.Equal("All [UNK] [SEP] cats",
            tok.Decode(tok.EncodeSegments("All dogs", "cats"), skipSpecialTokens: false).Replace("[BOS] ", "")
                .Replace(" [EOS]", ""));
        Assert.Equal("All cats", tok.Decode(tok.EncodeSegments("All", "cats"), skipSpecialTokens: true));
        // Frequency >= 2: ".", "are", "All", "animals", "cats", "mammals", and "{", "}" from \frac{x}{2}.
        Assert.Equal(new[] { ".", "are", "All", "animals", "cats", "mammals", "{", "}" },
            WordTokenizer.Build(Corpus, minFrequency: 2).Words.Skip(5));
        // At most 8 ids: the 5 specials and the 3 most frequent words.
        Assert.Equal(new[] { ".", "are", "All" }, WordTokenizer.Build(Corpus, maxSize: 8).Words.Skip(5));
        Assert.Equal(tok.Words, WordTokenizer.Build(Corpus.Reverse()).Words);      // corpus order does not matter
        Assert.Throws<ArgumentException>(() => WordTokenizer.Build(Corpus, maxSize: 5));
    }

    [Fact]
    public void WordsAreSplitOverCodePoints()
    {
        Assert.Equal(new[] { "it's", "x", "=", "\\frac", "{", "a2", "}", "'", "quoted", "'" },
            WordTokenizer.SplitWords("it's x=\\frac{a2} 'quoted'"));
        // Letters outside the BMP stay in their word, emoji stay whole, combining marks stay on their letter (NFC
        // composes and orders them).
        Assert.Equal(new[] { "𠀀𠀁野", "😀", "👍", "🏽", "café", "q\u0323\u0307" },
            WordTokenizer.SplitWords("𠀀𠀁野 😀👍🏽 cafe\u0301 q\u0307\u0323"));
        var tok = WordTokenizer.Build(new[] { "𠀀 😀" });
        Assert.Equal("𠀀 😀", tok.Decode(tok.Encode("𠀀 😀")));
    }

    [Fact]
    public void SavesLoadsAndRejectsMalformedFiles()
    {
        var tok = WordTokenizer.Build(Corpus);
        string path = Path.Combine(_dir, "vocab.json");
        tok.Save(path);
        // written through a temporary file, renamed
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));
        var back = WordTokenizer.Load(path);
        Assert.Equal(tok.Words, back.Words);
        Assert.Equal(tok.Encode("Therefore all cats"), back.Encode("Therefore all cats"));
        Assert.IsType<WordTokenizer>(TokenizerFile.Load(path));
        void Bad(string text, string expected)
        {
            File.WriteAllText(path, text);
            Assert.Contains(expected, Assert.Throws<InvalidDataException>(() => WordTokenizer.Load(path)).Message);
        }
        Bad("{\"type\": \"word-level\", \"words\": [\"[PAD]\", \"x\"]}", "words[1] must be [BOS]");
        Bad("{\"type\": \"word-level\", \"words\": [\"[PAD]\", \"[BOS]\", \"[EOS]\", \"[UNK]\", " +
            "\"[SEP]\", \"a\", \"a\"]}", "word 'a' appears twice");
        Bad("{\"type\": \"word-level\", \"words\": [\"[PAD]\", 3]}", "words[1] is not a string");
        Bad("{\"type\": \"word-level\"}", "field 'words'");
        Bad("{\"type\": \"bpe\"}", "not a word-level tokenizer");
        Bad("[", "invalid JSON");
        Bad("[]", "root must be an object");
    }

    [Fact]
    public void KeepSpacingDecodesTextBackExactly()
    {
        string[] corpus =
            { "- \\frac{E}{a^{2}} + \\log{(k)}", "All dogs are mammals.", "If it rains, the ground gets wet." };
        var t = WordTokenizer.Build(corpus, keepSpacing: true);
        foreach (var line in corpus) Assert.Equal(line, t.Decode(t.Encode(line)));
        Assert.Equal(new[] { "\\log", "##{", "##(", "##k", "##)", "##}" }, t.Encode("\\log{(k)}").Select(t.IdToToken));
        // whitespace runs become one space
        Assert.Equal("All dogs are mammals.",
            t.Decode(t.Encode("  All  dogs\tare mammals.", addSpecialTokens: true), skipSpecialTokens: true));
        // Without keepSpacing the same words are tokens but spacing is lost.
        var plain = WordTokenizer.Build(corpus);
        Assert.Equal("All dogs are mammals .", plain.Decode(plain.Encode("All dogs are mammals.")));

        string path = Path.Combine(_dir, "spaced.json");
        t.Save(path);
        var back = WordTokenizer.Load(path);
        Assert.True(back.KeepSpacing);
        Assert.Equal(corpus[0], back.Decode(back.Encode(corpus[0])));
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"keep_spacing\":true", "\"keep_spacing\":1"));
        Assert.Contains("'keep_spacing' must be true or false",
            Assert.Throws<InvalidDataException>(() => WordTokenizer.Load(path)).Message);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void TokenizeCommandPrintsIdsPerLineForEitherKind()
    {
        string input = Path.Combine(_dir, "lines.txt");
        File.WriteAllLines(input, new[] { "Hello world", " Hello world", "All cats" });
        string vocab = Path.Combine(_dir, "vocab.json");
        var words = WordTokenizer.Build(Corpus);
        words.Save(vocab);
        Assert.Equal(new[] { "[9707,1879]", "[21927,1879]",
            JsonSerializer.Serialize(ByteLevelBpeTokenizer.Qwen().Encode("All cats")) }, Lab("qwen", input));
        Assert.Equal(new[] { "[3,3]", "[3,3]", JsonSerializer.Serialize(words.Encode("All cats")) }, Lab(vocab, input));
        Assert.Equal(Lab("qwen", input), Lab(ByteLevelBpeTokenizer.QwenTokenizerPath(), input));
    }

    // Runs the built lab (copied next to the tests) as `tokenize --tokenizer T --input F`.
    private static string[] Lab(string tokenizer, string input)
    {
        var (exit, output, error) = ChildProcess.RunLab(null, "tokenize", "--tokenizer", tokenizer, "--input", input);
        Assert.True(exit == 0, $"tokenize exited {exit}: {error}");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}

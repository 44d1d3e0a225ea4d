using System.Text;
using System.Text.Json.Nodes;
using LatentRules.Tokenizers;
using Xunit.Abstractions;

namespace LatentRules.Tests.Tokenizers;

public sealed class ByteLevelBpeTokenizerTests(ITestOutputHelper output) : IDisposable
{
    private static readonly Lazy<ByteLevelBpeTokenizer> Qwen = new(ByteLevelBpeTokenizer.Qwen);
    private readonly string _dir = Directory.CreateTempSubdirectory("lr-tok-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string Write(string name, JsonNode json)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, json.ToJsonString());
        return path;
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void KnownIdsAndVocabulary()
    {
        var tok = Qwen.Value;
        Assert.Equal(new[] { 9707, 1879 }, tok.Encode("Hello world"));
        Assert.Equal(new[] { 21927, 1879 }, tok.Encode(" Hello world"));
        Assert.Equal(new[] { 9707, 1879 }, tok.Encode("Hello world", addSpecialTokens: true));   // Qwen adds nothing
        Assert.Equal(151643, tok.EosId);
        Assert.Equal(151643, tok.PadId);
        Assert.Null(tok.BosId);
        Assert.Equal(151669, tok.VocabSize);
        Assert.Equal(1879, tok.TokenToId("Ġworld"));
        Assert.Equal(151644, tok.TokenToId("<|im_start|>"));
        Assert.Null(tok.TokenToId("no such token"));
        Assert.Equal("Ġworld", tok.IdToToken(1879));
        Assert.Equal("<|im_end|>", tok.IdToToken(151645));
        Assert.True(tok.IsSpecial(151645));
        Assert.False(tok.IsSpecial(151667));                                     // <think> is added but not special
        Assert.Throws<ArgumentOutOfRangeException>(() => tok.IdToToken(tok.VocabSize));
        Assert.Equal(151645,
            ByteLevelBpeTokenizer.Load(ByteLevelBpeTokenizer.QwenTokenizerPath(), eosToken: "<|im_end|>").EosId);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void IdsEqualTheOfficialTokenizerOnAVariedCorpus()
    {
        var corpus = TokenizerReference.Corpus();
        var reference = TokenizerReference.Encode(ByteLevelBpeTokenizer.QwenTokenizerPath(), corpus);
        var tok = ByteLevelBpeTokenizer.Qwen();     // a fresh word cache
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var ours = corpus.Select(line => tok.Encode(line)).ToList();
        double ms = watch.Elapsed.TotalMilliseconds;
        var mismatches = corpus.Select((line, k) => (line, k)).Where(p => !ours[p.k].SequenceEqual(reference.Ids[p.k]))
            .ToList();
        output.WriteLine($"{corpus.Count} lines, {ours.Sum(o => o.Length)} tokens, {mismatches.Count} mismatches; " +
            $"first pass C# {ms:F0} ms, JS {reference.FirstPassMs:F0} ms");
        Assert.True(mismatches.Count == 0,
            $"{mismatches.Count} lines differ; first ones:\n" + string.Join("\n", mismatches.Take(5).Select(m =>
                $"{System.Text.Json.JsonSerializer.Serialize(m.line)}\n  C#: [{string.Join(",", ours[m.k])}]\n" +
                $"  JS: [{string.Join(",", reference.Ids[m.k])}]")));
        // Encoding again (word cache warm) gives the same ids.
        Assert.All(corpus.Select((line, k) => (line, k)), p => Assert.Equal(ours[p.k], tok.Encode(p.line)));
    }

    [Fact]
    public void DecodeInvertsEncode()
    {
        var tok = Qwen.Value;
        // The text comes back in NFC, except across an added token, which is found before NFC.
        foreach (var line in TokenizerReference.Corpus(referenceLines: 200).Where(l => !l.Contains('\u0338')))
            Assert.Equal(line.Normalize(NormalizationForm.FormC), tok.Decode(tok.Encode(line)));
        Assert.Equal("<|im_end|>\u0338", tok.Decode(tok.Encode("<|im_end|>\u0338")));
        // the library would skip it
        Assert.Throws<ArgumentOutOfRangeException>(() => tok.Decode(new[] { 9707, tok.VocabSize }));
        Assert.Equal("user\nhi", tok.Decode(tok.Encode("<|im_start|>user\nhi<|im_end|>"), skipSpecialTokens: true));
        // added, not special: kept
        Assert.Equal("<think>x", tok.Decode(tok.Encode("<think>x<|endoftext|>"), skipSpecialTokens: true));
        Assert.Equal("\uFFFD", tok.Decode(new[] { tok.TokenToId("Ã")!.Value }));   // byte 0xC3 alone: half a character
    }

    [Fact]
    public void NonNormalizedInputIsEncodedAfterNfcAndLoneSurrogatesAsUtf8Does()
    {
        var tok = Qwen.Value;
        Assert.Equal(tok.Encode("caf\u00e9"), tok.Encode("cafe\u0301"));
        // UTF-8 (and the JS reference) turn a lone surrogate into U+FFFD
        Assert.Equal(tok.Encode("a\uFFFDb"), tok.Encode("a\uD800b"));
        Assert.Equal(tok.Encode("\uFFFD"), tok.Encode("\uDC00"));
    }

    [Fact]
    public void WhitespaceFollowsUnicodeWhiteSpaceAsTheRustTokenizersDo()
    {
        // The JS port's \s differs from Oniguruma's (Rust, Python) on U+0085 and U+FEFF, so these ids come from the
        // Rust tokenizers (npm tokenizers 0.23.2, the native binding) on the same tokenizer.json.
        Assert.Equal(new[] { 64, 126, 227, 126, 227, 65, 856 }, Qwen.Value.Encode("a\u0085\u0085b x"));
        Assert.Equal(new[] { "a", "\u0085", "\u0085b", " x" }, QwenPreTokenizer.Split("a\u0085\u0085b x"));
        Assert.Equal(new[] { "\uFEFF\uFEFF", "x" }, QwenPreTokenizer.Split("\uFEFF\uFEFFx"));
        Assert.Equal(new[] { 3225, 3225, 87 }, Qwen.Value.Encode("\uFEFF\uFEFFx"));
        Assert.Equal(new[] { "x", " \u0085" }, QwenPreTokenizer.Split("x \u0085"));
        Assert.Equal(new[] { "'ſ", "x" }, QwenPreTokenizer.Split("'ſx"));
    }

    [Fact]
    public void PreTokenizerWorksOnCodePoints()
    {
        // U+20000 is a letter (Lo): it joins the preceding space like any other word.
        Assert.Equal(new[] { "a", " 𠀀𠀁", " b" }, QwenPreTokenizer.Split("a 𠀀𠀁 b"));
        Assert.Equal(new[] { "Hello", "  ", " world", "\n\n", "it", "'s" },
            QwenPreTokenizer.Split("Hello   world\n\nit's"));
        Assert.Equal(new[] { "1", "2", "3", " +!\n", "x" }, QwenPreTokenizer.Split("123 +!\nx"));
        Assert.Equal(new[] { "𝟘", "𝟙", " 😀👍🏽", " x" },
            QwenPreTokenizer.Split("𝟘𝟙 😀👍🏽 x"));
        // \s*[\r\n]+ takes the spaces before a newline
        Assert.Equal(new[] { "a", " \t \n", "  ", " b", "  " }, QwenPreTokenizer.Split("a \t \n   b  "));
        Assert.Empty(QwenPreTokenizer.Split(""));
    }

    [Fact]
    public void SpecialTokensComeFromTheTokenizerConfigBesideTheFile()
    {
        string folder = Directory.CreateDirectory(Path.Combine(_dir, "hf-folder")).FullName;
        string json = Path.Combine(folder, "tokenizer.json");
        File.WriteAllText(json, MiniTokenizerJson.Build(mergesAsStrings: true).ToJsonString());
        // no config: <|endoftext|>
        Assert.Equal(300, ByteLevelBpeTokenizer.Load(json).EosId);
        File.WriteAllText(Path.Combine(folder, TokenizerConfig.FileName),
            """{"eos_token": "<x>", "pad_token": {"content": "café"}, "bos_token": null}""");
        var tok = ByteLevelBpeTokenizer.Load(json);
        // the folder's own choice
        Assert.Equal((301, 302), (tok.EosId, tok.PadId));
        // an explicit token wins
        Assert.Equal(300, ByteLevelBpeTokenizer.Load(json, eosToken: "<|endoftext|>").EosId);
        Assert.Equal(301, ((ByteLevelBpeTokenizer)TokenizerFile.Load(json)).EosId);
        File.WriteAllText(Path.Combine(folder, TokenizerConfig.FileName), """{"eos_token": 7}""");
        Assert.Contains("tokenizer_config.json: eos_token: must be a string or an object",
            Assert.Throws<InvalidDataException>(() => ByteLevelBpeTokenizer.Load(json)).Message);
        File.WriteAllText(Path.Combine(folder, TokenizerConfig.FileName), """{"eos_token": "<|nope|>"}""");
        Assert.Contains("end-of-sequence token '<|nope|>' is not in the vocabulary",
            Assert.Throws<InvalidDataException>(() => ByteLevelBpeTokenizer.Load(json)).Message);
        // the installed stand-in keeps <|endoftext|>
        Assert.Equal(151643, ((ByteLevelBpeTokenizer)TokenizerFile.Load("qwen")).EosId);
    }

    [Fact]
    public void MergesAsStringsOrPairsAndAddedTokens()
    {
        foreach (bool strings in new[] { false, true })
        {
            var tok = ByteLevelBpeTokenizer.Load(
                Write($"mini-{strings}.json", MiniTokenizerJson.Build(mergesAsStrings: strings)));
            Assert.Equal(new[] { MiniTokenizerJson.Id("hello"), MiniTokenizerJson.Id("Ġworld") },
                tok.Encode("hello world"));
            Assert.Equal(new[] { MiniTokenizerJson.Id("he"), MiniTokenizerJson.Id('y') }, tok.Encode("hey"));
            // Raw added tokens are found before normalisation; normalised ones (café) after it, so a decomposed é
            // matches.
            int x = 301, cafe = 302, eot = 300;
            Assert.Equal(new[] { x, cafe, MiniTokenizerJson.Id('!'), eot }, tok.Encode("<x>cafe\u0301!<|endoftext|>"));
            Assert.Equal("<x>café!", tok.Decode(tok.Encode("<x>café!<|endoftext|>"), skipSpecialTokens: true));
            Assert.Equal(303, tok.VocabSize);
            Assert.Equal(eot, tok.EosId);
        }
    }

    [Fact]
    public void UnsupportedOrMalformedTokenizerFilesAreRefusedByField()
    {
        void Refused(string expected, Action<JsonObject> change)
        {
            var json = MiniTokenizerJson.Build();
            change(json);
            var e = Assert.Throws<InvalidDataException>(() => ByteLevelBpeTokenizer.Load(Write("bad.json", json)));
            Assert.Contains(expected, e.Message);
        }
        JsonObject Model(JsonObject j) => j["model"]!.AsObject();
        JsonObject Step(JsonObject j, int k) => j["pre_tokenizer"]!["pretokenizers"]![k]!.AsObject();
        Refused("normalizer.type: 'NFKC'", j => j["normalizer"] = new JsonObject { ["type"] = "NFKC" });
        Refused("post_processor.type: 'TemplateProcessing'",
            j => j["post_processor"] = new JsonObject { ["type"] = "TemplateProcessing" });
        Refused("decoder: is missing", j => j["decoder"] = null);
        Refused("decoder.type: 'WordPiece'", j => j["decoder"] = new JsonObject { ["type"] = "WordPiece" });
        Refused("truncation", j => j["truncation"] = new JsonObject { ["max_length"] = 8 });
        Refused("model.type: 'WordPiece'", j => Model(j)["type"] = "WordPiece");
        Refused("model.byte_fallback", j => Model(j)["byte_fallback"] = true);
        Refused("model.dropout", j => Model(j)["dropout"] = 0.1);
        Refused("model.continuing_subword_prefix", j => Model(j)["continuing_subword_prefix"] = "##");
        Refused("model.ignore_merges: true is not supported", j => Model(j)["ignore_merges"] = true);
        Refused("model.merges[9]: repeats the pair of model.merges[0]",
            j => Model(j)["merges"]!.AsArray().Add(new JsonArray("h", "e")));
        Refused("model.vocab['☃']: has a character outside the byte-level alphabet",
            j => Model(j)["vocab"]!["☃"] = 999);
        Refused("added_tokens[2].content: is empty", j => j["added_tokens"]![2]!["content"] = "");
        Refused("model.merges[1]: 'l' is not in model.vocab", j => Model(j)["vocab"]!.AsObject().Remove("l"));
        Refused("model.merges[0]: is neither", j => Model(j)["merges"]![0] = "h e x");
        Refused("model.vocab['h']: must be a non-negative integer", j => Model(j)["vocab"]!["h"] = "seven");
        Refused("model.vocab: lacks 'Ġ', the token of byte 0x20",
            j => { Model(j)["vocab"]!.AsObject().Remove("Ġ"); Model(j)["merges"] = new JsonArray(); });
        Refused("pre_tokenizer.pretokenizers[0].pattern: only the Qwen2 pattern",
            j => Step(j, 0)["pattern"] = new JsonObject { ["Regex"] = "\\s+" });
        Refused("pre_tokenizer.pretokenizers[0].behavior", j => Step(j, 0)["behavior"] = "Removed");
        Refused("pre_tokenizer.pretokenizers[0].invert", j => Step(j, 0)["invert"] = true);
        Refused("pre_tokenizer.pretokenizers[1].use_regex", j => Step(j, 1)["use_regex"] = true);
        Refused("pre_tokenizer.pretokenizers[1].add_prefix_space", j => Step(j, 1)["add_prefix_space"] = true);
        Refused("pre_tokenizer.type: 'Whitespace'",
            j => j["pre_tokenizer"] = new JsonObject { ["type"] = "Whitespace" });
        Refused("added_tokens[1].lstrip: true is not supported ('<x>')", j => j["added_tokens"]![1]!["lstrip"] = true);
        Refused("added_tokens[0].id", j => j["added_tokens"]![0]!.AsObject().Remove("id"));
        Refused("end-of-sequence token '<|endoftext|>' is not in the vocabulary",
            j => j["added_tokens"]!.AsArray().RemoveAt(0));
        File.WriteAllText(Path.Combine(_dir, "broken.json"), "{");
        Assert.Contains("invalid JSON",
            Assert.Throws<InvalidDataException>(() => ByteLevelBpeTokenizer.Load(Path.Combine(_dir, "broken.json")))
                .Message);
        File.WriteAllText(Path.Combine(_dir, "array.json"), "[]");
        Assert.Contains("root must be an object",
            Assert.Throws<InvalidDataException>(() => ByteLevelBpeTokenizer.Load(Path.Combine(_dir, "array.json")))
                .Message);
        Assert.Throws<FileNotFoundException>(() => ByteLevelBpeTokenizer.Load(Path.Combine(_dir, "absent.json")));
    }
}

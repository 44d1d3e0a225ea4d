using LatentRules.Data;
using LatentRules.Experiments;
using LatentRules.Models.Bert;
using LatentRules.Models.Qwen2;
using LatentRules.Models.Vae;
using LatentRules.Tests.Support;
using LatentRules.Tokenizers;
using LatentRules.Torch;
using static TorchSharp.torch;

namespace LatentRules.Tests.Vae;

/// <summary>
/// Experiments that start from Hugging Face folders (the paper preset's bert-base-cased and Qwen2.5-0.5B), here tiny
/// random checkpoints written by the library: each side reads or writes its own tokens and starts from the files.
/// </summary>
[Collection("torch")]
public sealed class PretrainedWeightsTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"lr-weights-{Guid.NewGuid():N}");
    public void Dispose() { if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true); }

    // Specials, every printable ASCII character and its continuation: any ASCII word has WordPiece ids, none [UNK].
    private static readonly string[] Vocabulary = new[] { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]" }
        .Concat(Enumerable.Range(33, 94).Select(c => ((char)c).ToString()))
        .Concat(Enumerable.Range(33, 94).Select(c => "##" + (char)c)).ToArray();

    private string Bert(int vocabSize = 0)
    {
        string dir = Path.Combine(_root, "bert");
        manual_seed(11);
        using var encoder = new BertEncoder(new BertConfig
        {
            VocabSize = vocabSize > 0 ? vocabSize : Vocabulary.Length, HiddenSize = 16, NumHiddenLayers = 1,
            NumAttentionHeads = 2,
            IntermediateSize = 24, MaxPositionEmbeddings = 256,
        });
        BertCheckpoint.Save(encoder, dir, Vocabulary);
        return dir;
    }

    private string Qwen()
    {
        string dir = Path.Combine(_root, "qwen");
        manual_seed(12);
        using var decoder = new Qwen2ForCausalLM(Qwen2Config.Tiny(vocab: 151_936) with
        {
            HiddenSize = 16,
            IntermediateSize = 24,
            NumHiddenLayers = 1,
            NumAttentionHeads = 2,
            NumKeyValueHeads = 1,
        });
        decoder.SavePretrained(dir);
        File.Copy(ByteLevelBpeTokenizer.QwenTokenizerPath(), Path.Combine(dir, "tokenizer.json"));
        return dir;
    }

    private static ExperimentConfig Config(PretrainedWeights weights) => SmallPreset.Preset.RuleClusters with
    {
        Task = "math",
        Seeds = new[] { 1 },
        Size = 60,
        EncoderSteps = 1,
        Steps = 2,
        ScoreLimit = 3,
        Recipe = SmallPreset.Preset.RuleClusters.Recipe with { BatchSize = 4 },
        Vae = TinyVae.Config with { RuleToDecoder = true },
        Weights = weights,
    };

    [Trait("Category", "Slow")]
    [Fact]
    public void EachSideReadsItsOwnTokensStartsFromItsFolderAndTrains()
    {
        var weights = new PretrainedWeights(Bert(), Qwen()).Check();
        var config = Config(weights);
        var experiment = VaeRuns.Prepare(config, 1);
        var bert = Assert.IsType<WordPieceTokenizer>(experiment.Examples.EncoderTokenizer);
        var qwen = Assert.IsType<ByteLevelBpeTokenizer>(experiment.Tokenizer);

        // Autoencoding, encoder reads premises, variable and conclusion: BERT's [CLS] a [SEP] b [SEP] c [SEP].
        var e = experiment.Data.Train[0];
        var s = experiment.Examples.Build(e);
        var segments = VaeExamples.InputSegments(e).Append(e.Conclusion).ToList();
        var encoder = new List<int> { 2 };
        foreach (var segment in segments) encoder.AddRange(bert.Encode(segment).Append(3));
        Assert.Equal(encoder, s.Encoder);
        Assert.DoesNotContain(bert.UnknownId,
            experiment.Examples.Build(experiment.Data.Train).SelectMany(x => x.Encoder));
        // Qwen's side: <|endoftext|> a ; b ; c <|endoftext|>, its own separator tokens.
        int eos = qwen.EosId;
        var decoder = new List<int> { eos };
        for (int k = 0; k < segments.Count; k++)
            decoder.AddRange((k > 0 ? qwen.Encode(" ; ") : Array.Empty<int>()).Concat(qwen.Encode(segments[k])));
        decoder.Add(eos);
        Assert.Equal(decoder, s.Decoder);
        Assert.Equal(new PadIds(0, qwen.PadId), experiment.Examples.PadIds);
        Assert.Equal(151_643, qwen.PadId);

        // The new VAE holds the folders' weights (the latent maps and classifier are new).
        manual_seed(1);
        using (var vae = weights.NewVae(experiment.ModelConfig(config.Vae)))
        using (var storedEncoder = BertCheckpoint.Load(weights.Encoder!))
        using (var storedDecoder = Qwen2ForCausalLM.FromPretrained(weights.Decoder!, ScalarType.Float32))
        {
            Assert.Equal(0f,
                MaxDifference(vae.encoder.embeddings.word_embeddings.weight!,
                    storedEncoder.embeddings.word_embeddings.weight!));
            Assert.Equal(0f,
                MaxDifference(vae.decoder.model.embed_tokens.weight!, storedDecoder.model.embed_tokens.weight!));
            Assert.Equal(151_936, vae.Config.Decoder.VocabSize);
            Assert.Equal(Vocabulary.Length, vae.Config.Encoder.VocabSize);
        }

        // The experiments' path end to end: stage 1, stage 2 and the decoder measures with Qwen's tokens.
        using var trained = VaeRuns.Train(experiment, config, 1, supervised: true);
        var measures = VaeRuns.DecoderMeasures(experiment, trained, config, 1);
        Assert.Equal(3, measures["scored"]);
        Assert.True(double.IsFinite(measures["token_loss"]) && measures["token_loss"] > 0);
    }

    private static float MaxDifference(Tensor a, Tensor b)
    {
        using var d = (a - b).abs().max();
        return d.item<float>();
    }

    [Fact]
    public void AMissingFileOrAVocabularyTheModelCannotHoldIsRefusedNamingTheOptionOrFolder()
    {
        string bert = Bert(vocabSize: 100);                                                  // vocab.txt has 193 tokens
        var missing = Assert.Throws<ArgumentException>(() => new PretrainedWeights(Decoder: bert).Check());
        Assert.Contains("--decoder-weights", missing.Message);
        Assert.Contains("has no tokenizer.json", missing.Message);
        Assert.Contains("download --repo Qwen/Qwen2.5-0.5B", missing.Message);
        Assert.Null(new PretrainedWeights(Decoder: bert).Present().Decoder);
        Assert.Equal(bert, new PretrainedWeights(bert).Present().Encoder);

        var weights = new PretrainedWeights(bert).Check();
        var experiment = VaeRuns.Prepare(Config(weights), 1);
        var error = Assert.Throws<InvalidDataException>(() => weights.NewVae(experiment.ModelConfig(TinyVae.Config)));
        Assert.Contains(bert, error.Message);
        Assert.Contains("193 ids", error.Message);
    }

    [Fact]
    public void TheTangentKernelExperimentStartsFromTheEncoderFolder()
    {
        var config = SmallPreset.Preset.TangentKernel with
        {
            Seeds = new[] { 1 },
            Size = 400,
            EncoderSteps = 0,
            Steps = 1,
            Vae = TinyVae.Config,
            Weights = new(Bert())
        };
        var seed = TangentKernelExperiment.Prepare(config)[0];
        Assert.IsType<WordPieceTokenizer>(seed.Experiment.Examples.EncoderTokenizer);
        Assert.All(seed.Sample, s => Assert.Equal((2, 3), (s.Encoder[0], s.Encoder[^1])));          // [CLS] ... [SEP]
        manual_seed(1);
        using var vae = config.Weights.NewVae(seed.Experiment.ModelConfig(config.Vae));
        Assert.Equal(Vocabulary.Length, vae.Config.Encoder.VocabSize);
        // the folder's config (TinyVae: 2 layers)
        Assert.Equal(1, vae.Config.Encoder.NumHiddenLayers);
    }

    [Fact]
    public void BatchesPadEachSideWithItsOwnId()
    {
        var shortRow = new VaeSequence(new[] { 5, 6 }, new[] { 9, 8 }, 1, null);
        var longRow = new VaeSequence(new[] { 5, 6, 7, 8 }, new[] { 9, 8, 7, 6 }, 1, null);
        using var batch = new VaeBatch(new[] { shortRow, longRow }, new PadIds(0, 151_643), CPU);
        Assert.Equal(new long[] { 5, 6, 0, 0, 5, 6, 7, 8 }, batch.EncoderIds.ToArray<long>());
        Assert.Equal(new long[] { 9, 151_643, 151_643, 9, 8, 7 }, batch.DecoderIds.ToArray<long>());
        Assert.Equal(new long[] { 1, 0, 0, 1, 1, 1 }, batch.DecoderMask.ToArray<long>());
    }

    [Fact]
    public void BertTokenizerLowerCasesOnlyWhenItsConfigSaysSo()
    {
        string dir = Bert();
        Assert.False(BertCheckpoint.Tokenizer(dir).LowerCase);
        File.WriteAllText(Path.Combine(dir, "tokenizer_config.json"), "{\"do_lower_case\": true}");
        Assert.True(BertCheckpoint.Tokenizer(dir).LowerCase);
        File.WriteAllText(Path.Combine(dir, "tokenizer_config.json"), "{oops");
        Assert.Contains("tokenizer_config.json",
            Assert.Throws<InvalidDataException>(() => BertCheckpoint.Tokenizer(dir)).Message);
    }
}

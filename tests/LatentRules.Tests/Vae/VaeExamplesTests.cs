using LatentRules.Data;
using LatentRules.Experiments;
using LatentRules.Models.Bert;
using LatentRules.Models.Qwen2;
using LatentRules.Models.Vae;
using LatentRules.Tokenizers;
using LatentRules.Torch;
using LatentRules.Training;
using static TorchSharp.torch;

namespace LatentRules.Tests.Vae;

/// <summary>Reasoning examples as VAE sequences in both target modes, and the batches they make.</summary>
[Collection("torch")]
public sealed class VaeExamplesTests
{
    private static readonly ReasoningExample Derivation = new("m1", "math", "differentiation", new[] { "x^{2}" }, "2 x",
        new Dictionary<string, string> { ["variable"] = "x" });

    private static readonly WordTokenizer Words = WordTokenizer.Build(new[] { "x^{2} x 2 x" });

    private static int Id(string w) => Words.TokenToId(w)!.Value;

    [Fact]
    public void AutoencodingReadsAndPredictsEverything()
    {
        var s = new VaeExamples(Words, TargetMode.Autoencoding, new[] { "differentiation", "integration" })
            .Build(Derivation);
        // x^{2} splits into x ^ { 2 }; the variable is its own segment; then the conclusion.
        int[] expected = { WordTokenizer.Bos, Id("x"), Id("^"), Id("{"), Id("2"), Id("}"), WordTokenizer.Sep, Id("x"),
            WordTokenizer.Sep, Id("2"), Id("x"), WordTokenizer.Eos };
        Assert.Equal(expected, s.Encoder);
        Assert.Equal(expected, s.Decoder);
        Assert.Equal(1, s.PromptLength);
        Assert.Equal(0, s.Rule);
    }

    [Fact]
    public void InferenceHidesTheConclusionFromTheEncoderAndScoresOnlyIt()
    {
        var examples = new VaeExamples(Words, TargetMode.Inference, new[] { "integration", "differentiation" });
        var s = examples.Build(Derivation);
        int[] input = { Id("x"), Id("^"), Id("{"), Id("2"), Id("}"), WordTokenizer.Sep, Id("x") };
        Assert.Equal(new[] { WordTokenizer.Bos }.Concat(input).Append(WordTokenizer.Eos), s.Encoder);
        Assert.Equal(new[] { WordTokenizer.Bos }.Concat(input).Append(WordTokenizer.Sep)
            .Concat(new[] { Id("2"), Id("x"), WordTokenizer.Eos }), s.Decoder);
        Assert.Equal(input.Length + 2, s.PromptLength);
        Assert.Equal(1, s.Rule);
        Assert.Equal(s.Decoder[..s.PromptLength], examples.Prompt(Derivation));
        // The study's setting: the encoder reads the conclusion too; the decoder side is unchanged.
        var study = new VaeExamples(Words, TargetMode.Inference, new[] { "integration", "differentiation" },
            encoderReadsConclusion: true).Build(Derivation);
        Assert.Equal(new[] { WordTokenizer.Bos }.Concat(input)
            .Concat(new[] { WordTokenizer.Sep, Id("2"), Id("x"), WordTokenizer.Eos }), study.Encoder);
        Assert.Equal(s.Decoder, study.Decoder);

        using var batch =
            new VaeBatch(new[] { s, VaeSequence.Autoencode(new[] { 1, 5, 2 }, 0) }, padIds: 0, device: CPU);
        var targets = batch.Targets.ToArray<long>();
        long width = batch.Targets.size(1);
        // Row 0: -100 while the decoder reads its prompt, then the conclusion and EOS.
        var row0 = targets.Take((int)width).ToArray();
        Assert.Equal(Enumerable.Repeat(-100L, s.PromptLength - 1)
            .Concat(new long[] { Id("2"), Id("x"), WordTokenizer.Eos }), row0);
        // Row 1 (autoencoding, shorter): everything after BOS, then padding.
        Assert.Equal(new long[] { 5, 2 }.Concat(Enumerable.Repeat(-100L, (int)width - 2)), targets.Skip((int)width));
        Assert.Equal(new long[] { 1, 0 }, batch.Rules!.ToArray<long>());
    }

    [Fact]
    public void TheEncoderCanReadTheRulesTextFirstWhileTheDecoderSequenceStaysTheSame()
    {
        var words = WordTokenizer.Build(new[] { "x^{2} x 2 x", "performing differentiation" });
        int W(string w) => words.TokenToId(w)!.Value;
        int[] input = { W("x"), W("^"), W("{"), W("2"), W("}"), WordTokenizer.Sep, W("x") };
        int[] text = { W("performing"), W("differentiation"), WordTokenizer.Sep };
        var rules = new[] { "differentiation", "integration" };
        foreach (var mode in new[] { TargetMode.Autoencoding, TargetMode.Inference })
        {
            var plain = new VaeExamples(words, mode, rules, encoderReadsConclusion: true).Build(Derivation);
            var reading = new VaeExamples(words, mode, rules, encoderReadsConclusion: true,
                encoderRuleText: e => $"performing {e.Rule}").Build(Derivation);
            Assert.Equal(new[] { WordTokenizer.Bos }.Concat(text).Concat(input)
                .Concat(new[] { WordTokenizer.Sep, W("2"), W("x"), WordTokenizer.Eos }), reading.Encoder);
            Assert.Equal(plain.Decoder, reading.Decoder);
            Assert.Equal(plain.PromptLength, reading.PromptLength);
        }
        // The study's math lines carry the rule's text; syllogistic data names its mood only as a label.
        Assert.Equal("performing integration",
            ReasoningTasks.Get("math").RuleText(Derivation with { Rule = "integration" }));
        var syllogistic = ReasoningTasks.Get("syllogistic");
        var data = syllogistic.Generate(new GenerationOptions(Size: 60, Seed: 1));
        Assert.Null(syllogistic.RuleText(data.Train[0]));
        Assert.Contains("--encoder-reads-rule-text", Assert.Throws<ArgumentException>(() =>
            VaeExperiment.Prepare(syllogistic, data, TargetMode.Autoencoding, encoderReadsRuleText: true)).Message);
        // Prepare gives the rule's words ids of their own.
        var math = ReasoningTasks.Get("math");
        var prepared = VaeExperiment.Prepare(math, math.Generate(new GenerationOptions(Size: 60, Seed: 1)),
            TargetMode.Autoencoding, encoderReadsRuleText: true);
        var first = prepared.Data.Train[0];
        Assert.Equal(prepared.Tokenizer.Encode($"performing {first.Rule}"),
            prepared.Examples.Build(first).Encoder[1..3]);
        Assert.DoesNotContain(WordTokenizer.Unk, prepared.Examples.Build(first).Encoder);
    }

    [Fact]
    public void ConclusionsAreReadBackFromGeneratedIds()
    {
        var auto = new VaeExamples(Words, TargetMode.Autoencoding, new[] { "differentiation" });
        Assert.Equal("2 x",
            auto.Conclusion(new[] { Id("x"), WordTokenizer.Sep, Id("x"), WordTokenizer.Sep, Id("2"), Id("x") }));
        Assert.Equal("2 x",
            new VaeExamples(Words, TargetMode.Inference, new[] { "differentiation" })
                .Conclusion(new[] { Id("2"), Id("x") }));
        Assert.Contains("rule 'differentiation' is not one of integration",
            Assert.Throws<ArgumentException>(() =>
                new VaeExamples(Words, TargetMode.Inference, new[] { "integration" }).Build(Derivation)).Message);
        Assert.Contains("at least 1 of 2 sequences", "at least " + Assert.Throws<ArgumentException>(() =>
            new VaeBatch(new[] { VaeSequence.Autoencode(new[] { 1, 5, 2 }, 0),
                VaeSequence.Autoencode(new[] { 1, 5, 2 }) }, 0, CPU)).Message);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void AnInferenceVaeLearnsToWriteTheConclusion()
    {
        // Conclusion = the premise's two words swapped: learnable only from the premise (z alone cannot hold 2 words of
        // 8 each... it may help).
        var rng = new Random(2);
        string[] vocab = { "a", "b", "c", "d", "e", "f", "g", "h" };
        var data = Enumerable.Range(0, 200).Select(i =>
        {
            string p = vocab[rng.Next(8)], q = vocab[rng.Next(8)];
            return new ReasoningExample($"s{i}", "toy", i % 2 == 0 ? "swap" : "keep", new[] { $"{p} {q}" },
                i % 2 == 0 ? $"{q} {p}" : $"{p} {q}");
        }).ToList();
        var tokenizer = WordTokenizer.Build(vocab);
        var examples = new VaeExamples(tokenizer, TargetMode.Inference, new[] { "swap", "keep" });
        manual_seed(3);
        using var vae = new LanguageVae(new VaeConfig
        {
            Encoder = new BertConfig
            {
                VocabSize = tokenizer.VocabSize, HiddenSize = 32, NumHiddenLayers = 1,
                NumAttentionHeads = 4, IntermediateSize = 64, HiddenDropout = 0, AttentionDropout = 0
            },
            Decoder = Qwen2Config.Tiny(vocab: tokenizer.VocabSize) with
            {
                HiddenSize = 32,
                IntermediateSize = 64,
                NumAttentionHeads = 4,
                NumKeyValueHeads = 2
            },
            LatentSize = 4, Injection = Injection.Memory, RuleCount = 2, RuleToDecoder = true,
        });
        var config = new TrainerConfig
        {
            Steps = 600, BatchSize = 32, LearningRate = 3e-3, WarmupSteps = 20,
            Beta = new BetaSchedule(BetaShape.Constant, 0.01)
        };
        new VaeTrainer(vae, config, tokenizer.PadId).Run(examples.Build(data));
        var generated = ConclusionGeneration.FromPosteriors(vae, examples, data.Take(40).ToList());
        int right = generated.Zip(data).Count(g => g.First == g.Second.Conclusion);
        Assert.True(right >= 36, $"only {right} of 40 conclusions right: {string.Join(" | ", generated.Take(6))}");
    }
}

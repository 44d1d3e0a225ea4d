using LatentRules.Evaluation;
using LatentRules.Models.Bert;
using LatentRules.Models.Qwen2;
using LatentRules.Models.Vae;
using LatentRules.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace LatentRules.Tests.Evaluation;

/// <summary>DecoderUse against the VAE's own loss, and its controls on a decoder that cannot see z.</summary>
[Collection("torch")]
public sealed class DecoderUseTests
{
    private static LanguageVae Tiny(Injection injection)
    {
        manual_seed(7);
        return new LanguageVae(new VaeConfig
        {
            LatentSize = 4, Injection = injection, RuleCount = 2,
            Encoder = new BertConfig
            {
                VocabSize = 12, HiddenSize = 16, NumHiddenLayers = 1, NumAttentionHeads = 2,
                IntermediateSize = 24
            },
            Decoder = Qwen2Config.Tiny(vocab: 12) with
            {
                HiddenSize = 16,
                IntermediateSize = 24,
                NumAttentionHeads = 2,
                NumKeyValueHeads = 1,
                NumHiddenLayers = 1
            },
        });
    }

    // Inference-style sequences: prompt [1, x], then the predicted tokens; rules alternate.
    private static readonly VaeSequence[] Sequences = Enumerable.Range(0, 6)
        .Select(i => new VaeSequence(new[] { 1, 3 + i, 2 }, new[] { 1, 3 + i, 4 + (i % 3), 5 + (i % 2), 2 }, 2, i % 2))
        .ToArray();

    private static double[,] Mu(int seed)
    {
        var rng = new LatentRules.Randomness.SeededRandom(seed);
        var mu = new double[Sequences.Length, 4];
        for (int i = 0; i < Sequences.Length; i++) for (int k = 0; k < 4; k++) mu[i, k] = 3 * (rng.NextDouble() - 0.5);
        return mu;
    }

    [Fact]
    public void TokenLossWithTheOwnZIsTheVaesReconstructionLossPerToken()
    {
        using var vae = Tiny(Injection.Query);
        vae.eval();
        using var batch = new VaeBatch(Sequences, padIds: 0, vae.Device());
        var mu = vae.Encode(batch.EncoderIds, batch.EncoderMask).mu;                       // [6, 4]
        var muRows = mu.to(ScalarType.Float64).ToArray<double>();
        var muMatrix = new double[6, 4];
        for (int i = 0; i < 6; i++) for (int k = 0; k < 4; k++) muMatrix[i, k] = muRows[i * 4 + k];
        // Eval mode: z = mu, so the loss's reconstruction (summed over tokens, mean over examples) times the batch over
        // the predicted tokens (3 per example) is the loss per token.
        double reconstruction = batch.Loss(vae, beta: 0).Reconstruction.ToDouble();
        var use = DecoderUse.Of(vae, Sequences, muMatrix, DecoderUse.RuleMeans(muMatrix, new[] { 0, 1, 0, 1, 0, 1 }, 2),
            padIds: 0);
        Assert.Equal(18, use.Tokens);
        Assert.Equal(reconstruction * 6 / 18, use.TokenLoss, 5);
        Assert.InRange(use.TokenAccuracy, 0, 1);
        Assert.True(vae.training == false);
    }

    [Theory]
    [InlineData(Injection.Query)]
    [InlineData(Injection.KeyValue)]
    [InlineData(Injection.Memory)]
    [InlineData(Injection.Embedding)]
    public void ADecoderThatCannotSeeZShowsNoZUseAndNoRuleControl(Injection injection)
    {
        using var blind = Tiny(injection);
        blind.injection.ZeroProjections();                                              // z reaches nothing
        var mu = Mu(1);
        var means = DecoderUse.RuleMeans(mu, new[] { 0, 1, 0, 1, 0, 1 }, 2);
        var use = DecoderUse.Of(blind, Sequences, mu, means, padIds: 0, seed: 3);
        Assert.Equal(0, use.ZUse, 6);
        Assert.Equal(0, use.RuleControl, 6);

        // the same model with its projections
        using var seeing = Tiny(injection);
        var used = DecoderUse.Of(seeing, Sequences, mu, means, padIds: 0, seed: 3);
        Assert.NotEqual(0, used.ZUse, 4);
        Assert.NotEqual(0, used.RuleControl, 4);
    }

    [Fact]
    public void RuleMeansAreTheMeanRowPerLabel()
    {
        var mu = new double[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } };
        var means = DecoderUse.RuleMeans(mu, new[] { 0, 1, 0 }, 2);
        Assert.Equal(new double[,] { { 3, 4 }, { 3, 4 } }, means);
        Assert.Contains("rule 2 has no example",
            Assert.Throws<ArgumentException>(() => DecoderUse.RuleMeans(mu, new[] { 0, 1, 0 }, 3)).Message);
    }
}

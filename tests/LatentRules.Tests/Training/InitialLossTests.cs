using LatentRules.Models.Bert;
using LatentRules.Models.Qwen2;
using LatentRules.Models.Vae;
using LatentRules.Training;
using static TorchSharp.torch;

namespace LatentRules.Tests.Training;

[Collection("torch")]
public sealed class InitialLossTests
{
    [Fact]
    public void ExpectationsAreTheHandComputedValues()
    {
        // KL of dimension 1 in row 0: ½ (1 + 2 - 1 - ln 2) = 0.653426; its batch mean 0.326713; dimension 0 is 0.
        var mu = new double[,] { { 0, 1 }, { 0, 0 } };
        var logvar = new double[,] { { 0, Math.Log(2) }, { 0, 0 } };
        var rows = InitialLoss.Expect(9.0, 0.3, 0.7, new long[] { 3, 5 }, mu, logvar, vocabulary: 10, rules: 2);
        Assert.Equal(new[] { "reconstruction", "kl", "rule" }, rows.Select(r => r.Term));
        Assert.Equal(4 * 2.302585, rows[0].Expected, 5);                       // 4 tokens per example × ln 10
        Assert.Equal(0.326713, rows[1].Expected, 5);
        Assert.Equal(0.693147, rows[2].Expected, 5);                           // ln 2
        Assert.Equal(new[] { 9.0, 0.3, 0.7 }, rows.Select(r => r.Value));
        // free bits: each dimension's batch mean floored at 0.5 nats, 0.5 + 0.5
        var floored = InitialLoss.Expect(9.0, 1.0, null, new long[] { 3, 5 }, mu, logvar, 10, 2, freeBits: 0.5);
        Assert.Equal(1.0, floored[1].Expected, 9);
        Assert.Equal(2, floored.Count);                                         // no rule row without a rule loss
    }

    [Fact]
    public void TheClosedFormKlMatchesTheModels()
    {
        manual_seed(4);
        var config = new VaeConfig
        {
            Encoder = new BertConfig
            {
                VocabSize = 40, HiddenSize = 32, NumHiddenLayers = 1, NumAttentionHeads = 4,
                IntermediateSize = 64
            },
            Decoder = Qwen2Config.Tiny(vocab: 40), LatentSize = 6, RuleCount = 3, FreeBits = 0.01,
        };
        using var vae = new LanguageVae(config);
        var sequences = Enumerable.Range(0, 4)
            .Select(i => VaeSequence.Autoencode(new[] { 1, 5 + i, 7, 9 + i, 2 }, rule: i % 3)).ToList();
        using var batch = new VaeBatch(sequences, 0, CPU);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var mode = EvalMode.Of(vae);
        var (mu, logvar) = vae.Encode(batch.EncoderIds, batch.EncoderMask);
        var rows = InitialLoss.Of(batch.Loss(vae, beta: 1.0), batch, mu, logvar, vae.Config);
        Assert.Equal(rows[1].Expected, rows[1].Value, 4);                         // the same KL, computed twice
        Assert.Equal(4 * Math.Log(40), rows[0].Expected, 9);                      // 4 predicted tokens each
        Assert.Equal(Math.Log(3), rows[2].Expected, 9);
        // From the N(0, 0.02) start the logits are nearly equal: the untrained decoder is close to the uniform
        // baseline (a decoder with N(0, 1) embeddings tied to its head was tens of nats per token above it).
        Assert.InRange(rows[0].Value, rows[0].Expected * 0.97, rows[0].Expected * 1.03);
        Assert.True(rows[2].Value > 0);
    }
}

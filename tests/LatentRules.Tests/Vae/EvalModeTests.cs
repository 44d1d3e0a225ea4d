using LatentRules.Models.Vae;
using LatentRules.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace LatentRules.Tests.Vae;

/// <summary>EvalMode and PosteriorEncoding: the one way measurements switch modes and encode in batches.</summary>
[Collection("torch")]
public sealed class EvalModeTests
{
    [Fact]
    public void EvalModeRestoresTheModeItFound()
    {
        using var layer = nn.Dropout(0.5);
        layer.train();
        using (EvalMode.Of(layer)) Assert.False(layer.training);
        Assert.True(layer.training);
        layer.eval();
        using (EvalMode.Of(layer)) Assert.False(layer.training);
        Assert.False(layer.training);
    }

    [Fact]
    public void PosteriorEncodingInBatchesEqualsOneBatch()
    {
        manual_seed(3);
        using var vae = new LanguageVae(
            TinyVae.Config with
            {
                RuleWeight = 0,
                Encoder = TinyVae.Config.Encoder with { VocabSize = 12 },
                Decoder = TinyVae.Config.Decoder with { VocabSize = 12 }
            });
        vae.train();
        // Lengths 3 to 6: each batch size pads them differently, which the masked encoder must not notice.
        var sequences = Enumerable.Range(0, 7)
            .Select(i => VaeSequence.Autoencode(new[] { 1 }.Concat(Enumerable.Range(3, 1 + i % 4)).Append(2).ToArray()))
            .ToList();
        var (mu2, logvar2) = PosteriorEncoding.Of(vae, sequences, padIds: 0, batchSize: 2);     // batches of 2, 2, 2, 1
        var (mu7, logvar7) = PosteriorEncoding.Of(vae, sequences, padIds: 0, batchSize: 7);
        Assert.Equal(new long[] { 7, 4 }, mu2.shape);
        Assert.True(mu2.allclose(mu7, rtol: 1e-5, atol: 1e-6));
        Assert.True(logvar2.allclose(logvar7, rtol: 1e-5, atol: 1e-6));
        Assert.False(mu2.requires_grad);
        // eval only while encoding
        Assert.True(vae.training);
    }
}

using LatentRules.Lab.Benchmarks;
using LatentRules.Torch;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace LatentRules.Tests.Torch;

/// <summary>Small models written with the binding actually learn.</summary>
[Collection("torch")]
public sealed class LearningTests(ITestOutputHelper output)
{
    [Fact]
    public void MlpLearnsXorOfFourBits()
    {
        manual_seed(0);
        // Inputs: all 16 bit patterns; target: parity (not linearly separable).
        var xs = new float[16 * 4];
        var ys = new long[16];
        for (int n = 0; n < 16; n++)
        {
            for (int b = 0; b < 4; b++) xs[n * 4 + b] = (n >> b) & 1;
            ys[n] = System.Numerics.BitOperations.PopCount((uint)n) % 2;
        }
        using var x = tensor(xs, new long[] { 16, 4 });
        using var y = tensor(ys);
        var model = nn.Sequential(nn.Linear(4, 32), nn.ReLU(), nn.Linear(32, 2));
        using var opt = optim.AdamW(model.parameters(), lr: 0.02, weight_decay: 0);
        double loss = double.NaN;
        for (int step = 0; step < 500; step++)
        {
            using var scope = NewDisposeScope();
            opt.zero_grad();
            var l = F.cross_entropy(model.forward(x), y);
            l.backward();
            opt.step();
            loss = l.ToDouble();
        }
        output.WriteLine($"MLP parity loss after 500 steps: {loss:F5}");
        Assert.True(loss < 0.01, $"loss {loss}");
        using var predicted = model.forward(x).argmax(1);
        Assert.Equal(ys, predicted.ToArray<long>());
        model.Dispose();
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void TwoLayerTransformerLearnsToCopyTheTokenTwoBack()
    {
        manual_seed(0);
        var config = new MiniTransformerConfig(Vocab: 12, DModel: 32, Heads: 4, Layers: 2, MaxSeq: 16);
        var model = new MiniTransformer(config);
        using var opt = optim.AdamW(model.parameters(), lr: 3e-3, weight_decay: 0);
        double loss = double.NaN;
        for (int step = 0; step < 300; step++)
        {
            using var scope = NewDisposeScope();
            var ids = randint(0, 12, new long[] { 32, 16 });
            // Target at position t is the token at t - 2; the first two positions are ignored.
            var target = F.pad(ids.slice(1, 0, 14, 1), new long[] { 2, 0 }, value: -100);
            opt.zero_grad();
            var logits = model.forward(ids);                                          // [B, T, V]
            var l = F.cross_entropy(logits.reshape(-1, 12), target.reshape(-1));     // [B*T, V] vs [B*T]
            l.backward();
            nn.utils.clip_grad_norm_(model.parameters(), 1.0);
            opt.step();
            loss = l.ToDouble();
        }
        output.WriteLine($"Transformer copy-two-back loss after 300 steps: {loss:F4} (chance: {Math.Log(12):F4})");
        Assert.True(loss < 0.1, $"loss {loss}");
        model.Dispose();
    }
}

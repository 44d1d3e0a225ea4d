using LatentRules.Models.Bert;
using LatentRules.Models.Qwen2;
using LatentRules.Models.Vae;
using LatentRules.Tests.Support;
using LatentRules.Torch;
using LatentRules.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LatentRules.Tests.Training;

[Collection("torch")]
public sealed class CheckpointTests : IDisposable
{
    private readonly string _dir = Path.Combine(Directory.CreateTempSubdirectory("lr-ckpt-").FullName, "run");
    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_dir)!, recursive: true);

    private static readonly VaeConfig Config =
        TinyVae.Sized(vocab: 20, hidden: 32, encoderLayers: 1, heads: 4, intermediate: 64, kvHeads: 2) with
        {
            // dropout on
            LatentSize = 4,
            Injection = Injection.Memory,
            RuleCount = 2,
        };

    // One training step on a batch chosen by the step number (as a resumable trainer must).
    private static double Step(LanguageVae vae, OptimizerHelper opt, int step)
    {
        using var scope = NewDisposeScope();
        var rng = new Random(1000 + step);
        var seqs = Enumerable.Range(0, 8)
            .Select(_ => new[] { 1 }.Concat(Enumerable.Range(0, 4).Select(_ => rng.Next(3, 20))).Append(2).ToArray())
            .ToList();
        using var batch = new VaeBatch(seqs, 0, seqs.Select(s => s[1] % 2).ToList(), vae.Device());
        opt.zero_grad();
        var loss = batch.Loss(vae, beta: 0.5);
        loss.Total.backward();
        opt.step();
        return loss.Total.ToDouble();
    }

    private static OptimizerHelper NewAdamW(LanguageVae vae) =>
        optim.AdamW(vae.parameters(), lr: 1e-2, weight_decay: 0.01);

    [Fact]
    public void ResumingReproducesTheUninterruptedLossCurveExactly()
    {
        manual_seed(7);
        var straight = new List<double>();
        using (var vae = new LanguageVae(Config))
        using (var opt = NewAdamW(vae))
            for (int s = 0; s < 8; s++) straight.Add(Step(vae, opt, s));

        manual_seed(7);
        var resumed = new List<double>();
        using (var vae = new LanguageVae(Config))
        using (var opt = NewAdamW(vae))
        {
            for (int s = 0; s < 4; s++) resumed.Add(Step(vae, opt, s));
            Checkpoint.Save(_dir, vae, opt, new CheckpointManifest(4, "data-A", "vocab-A", DateTime.UtcNow));
        }
        // the "killed" process is gone; a new one starts elsewhere
        manual_seed(12345);
        using (var vae = new LanguageVae(Config))
        using (var opt = NewAdamW(vae))
        {
            var manifest = Checkpoint.Load(_dir, vae, opt, "data-A", "vocab-A");
            for (int s = (int)manifest.Step; s < 8; s++) resumed.Add(Step(vae, opt, s));
        }
        // bit for bit: weights, Adam moments, step counts, dropout/z noise
        Assert.Equal(straight, resumed);
    }

    [Fact]
    public void MismatchedOrIncompleteCheckpointsAreRefused()
    {
        manual_seed(1);
        using var vae = new LanguageVae(Config);
        using var opt = NewAdamW(vae);
        Step(vae, opt, 0);
        Checkpoint.Save(_dir, vae, opt, new CheckpointManifest(1, "data-A", "vocab-A", DateTime.UtcNow));
        Assert.Contains("trained on data 'data-A', not 'data-B'",
            Assert.Throws<InvalidDataException>(() => Checkpoint.Load(_dir, vae, opt, "data-B", "vocab-A")).Message);
        Assert.Contains("tokenizer 'vocab-A', not 'vocab-B'",
            Assert.Throws<InvalidDataException>(() => Checkpoint.Load(_dir, vae, opt, "data-A", "vocab-B")).Message);
        // Saving again replaces the folder whole; no temporary folders are left beside it.
        Checkpoint.Save(_dir, vae, opt, new CheckpointManifest(2, "data-A", "vocab-A", DateTime.UtcNow));
        Assert.Single(Directory.GetDirectories(Path.GetDirectoryName(_dir)!));
        Assert.Equal(2, Checkpoint.ReadManifest(_dir).Step);
        // Optimizer state that is cut short or has bytes left over is refused, naming the file.
        string state = Path.Combine(_dir, "optimizer.bin");
        byte[] bytes = File.ReadAllBytes(state);
        File.WriteAllBytes(state, bytes[..(bytes.Length / 2)]);
        var cut = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(_dir, vae, opt, "data-A", "vocab-A"));
        Assert.Contains($"{state} is not the state of AdamW over {vae.parameters().Count()} parameters", cut.Message);
        File.WriteAllBytes(state, bytes.Append((byte)0).ToArray());
        Assert.Contains("1 bytes are left after it",
            Assert.Throws<InvalidDataException>(() => Checkpoint.Load(_dir, vae, opt, "data-A", "vocab-A")).Message);
        File.Delete(Path.Combine(_dir, "checkpoint.json"));
        Assert.Contains("checkpoint.json is missing",
            Assert.Throws<InvalidDataException>(() => Checkpoint.Load(_dir, vae, opt, "data-A", "vocab-A")).Message);
    }
}

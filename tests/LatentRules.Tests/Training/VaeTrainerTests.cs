using LatentRules.Models.Bert;
using LatentRules.Models.Qwen2;
using LatentRules.Models.Vae;
using LatentRules.Tables;
using LatentRules.Tests.Support;
using LatentRules.Tests.Torch;
using LatentRules.Torch;
using LatentRules.Training;
using static TorchSharp.torch;

namespace LatentRules.Tests.Training;

[Collection("torch")]
public sealed class VaeTrainerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lr-trainer-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly VaeConfig Model =
        TinyVae.Sized(vocab: 20, hidden: 32, encoderLayers: 1, heads: 4, intermediate: 64, kvHeads: 2) with
        {
            LatentSize = 4,
            Injection = Injection.Memory,
            RuleCount = 2,
        };

    private static (List<int[]> seqs, List<int> rules) Data(int n, int seed)
    {
        var rng = new Random(seed);
        var seqs = Enumerable.Range(0, n)
            .Select(_ => new[] { 1 }.Concat(Enumerable.Range(0, 4).Select(_ => rng.Next(3, 20))).Append(2).ToArray())
            .ToList();
        return (seqs, seqs.Select(s => s[1] % 2).ToList());
    }

    [Fact]
    public void BetaSchedulesFollowTheirDefinitions()
    {
        Assert.Equal(0.7, new BetaSchedule(BetaShape.Constant, 0.7).At(0, 100));
        var linear = new BetaSchedule(BetaShape.Linear, 1.0, WarmupSteps: 10);
        Assert.Equal(0.0, linear.At(0, 100));
        Assert.Equal(0.5, linear.At(5, 100));
        Assert.Equal(1.0, linear.At(50, 100));
        var cyclical = new BetaSchedule(BetaShape.Cyclical, 2.0, Cycles: 4, RampFraction: 0.5);   // cycles of 25 steps
        Assert.Equal(0.0, cyclical.At(0, 100));
        Assert.Equal(2.0 * (5 / 25.0) / 0.5, cyclical.At(5, 100), 12);
        Assert.Equal(2.0, cyclical.At(20, 100));                  // second half of the cycle: flat at beta
        Assert.Equal(0.0, cyclical.At(25, 100));                  // next cycle starts again
    }

    [Fact]
    public void AStoppedRunResumedFromItsCheckpointMatchesTheUninterruptedRun()
    {
        var (train, rules) = Data(64, 1);
        var config = new TrainerConfig
        {
            Steps = 6, BatchSize = 8, EvalEvery = 3, WarmupSteps = 2, Seed = 5,
            CheckpointDir = Path.Combine(_dir, "ckpt")
        };
        List<double> Losses(Microsoft.Data.Analysis.DataFrame t) => t.Numbers("loss").ToList();

        List<double> straight;
        manual_seed(9);
        using (var vae = new LanguageVae(Model))
            straight = Losses(new VaeTrainer(vae, config with { CheckpointDir = null }, padIds: 0)
                .Run(train, rules, dataIdentity: "d", tokenizerIdentity: "t"));

        var pieces = new List<double>();
        manual_seed(9);
        using (var vae = new LanguageVae(Model))
            pieces.AddRange(Losses(new VaeTrainer(vae, config with { StopAfterSteps = 3 }, 0)
                .Run(train, rules, dataIdentity: "d", tokenizerIdentity: "t")));
        manual_seed(777);
        using (var vae = new LanguageVae(Model))
            pieces.AddRange(Losses(new VaeTrainer(vae, config, 0)
                .Run(train, rules, dataIdentity: "d", tokenizerIdentity: "t", resume: true)));
        Assert.Equal(6, straight.Count);
        Assert.Equal(straight, pieces);
    }

    [Fact]
    public void TheLearningRateWarmsUpThenDecaysByCosineAlsoAfterResuming()
    {
        var (train, rules) = Data(16, 6);
        var config = new TrainerConfig
        {
            Steps = 6, WarmupSteps = 2, LearningRate = 0.01, BatchSize = 4, EvalEvery = 3, StopAfterSteps = 3,
            CheckpointDir = Path.Combine(_dir, "ckpt"),
        };
        var lr = new List<double>();
        manual_seed(2);
        using (var vae = new LanguageVae(Model))
            lr.AddRange(new VaeTrainer(vae, config, 0).Run(train, rules).Numbers("lr"));
        using (var vae = new LanguageVae(Model))
            lr.AddRange(new VaeTrainer(vae, config, 0).Run(train, rules, resume: true).Numbers("lr"));
        // Before steps 0..5: warm-up 0, 1/2; then 0.1 + 0.9 * (1 + cos(pi * progress)) / 2 at progress 0 ... 3/4.
        double c = Math.Sqrt(0.5);
        double[] factor = { 0, 0.5, 1, 0.1 + 0.45 * (1 + c), 0.55, 0.1 + 0.45 * (1 - c) };
        Assert.Equal(factor.Select(f => 0.01 * f), lr, new Tol(1e-15));
    }

    [Fact]
    public void DivergenceStopsWithAClearMessageAndKeepsTheLastGoodCheckpoint()
    {
        var (train, rules) = Data(32, 2);
        var config = new TrainerConfig
        {
            Steps = 200, BatchSize = 8, EvalEvery = 1, WarmupSteps = 0, ClipNorm = 0,
            LearningRate = 1e8, CheckpointDir = Path.Combine(_dir, "ckpt")
        };
        manual_seed(3);
        using var vae = new LanguageVae(Model);
        var e = Assert.Throws<TrainingDivergedException>(() => new VaeTrainer(vae, config, 0).Run(train, rules));
        Assert.Matches(@"loss became (NaN|∞|-∞|Infinity|-Infinity) at step (\d+)", e.Message);
        int failedAt =
            int.Parse(System.Text.RegularExpressions.Regex.Match(e.Message, @"at step (\d+)").Groups[1].Value);
        Assert.Contains("the last good checkpoint is in", e.Message);
        Assert.Equal(failedAt - 1, Checkpoint.ReadManifest(config.CheckpointDir!).Step);
    }

    [Fact]
    public void EarlyStoppingEndsARunThatStopsImproving()
    {
        var (train, rules) = Data(32, 3);
        var (valid, validRules) = Data(16, 4);
        var config = new TrainerConfig
        {
            Steps = 50, BatchSize = 8, EvalEvery = 1, LearningRate = 0, WeightDecay = 0,
            Patience = 2
        };
        manual_seed(4);
        using var vae = new LanguageVae(Model);
        var history = new VaeTrainer(vae, config, 0).Run(train, rules, valid, validRules);
        // learning rate 0: the first evaluation is never beaten
        Assert.Equal(3, history.Rows.Count);
        var v = history.Numbers("valid_loss");
        Assert.All(v, x => Assert.Equal(v[0], x, 9));
    }

    [Fact]
    public void StageOneTrainsOnlyTheEncoderSideOnTheRuleAndRestoresTheFrozenParts()
    {
        var (train, rules) = Data(64, 5);
        manual_seed(6);
        using var vae = new LanguageVae(Model);
        var before = vae.named_parameters().ToDictionary(p => p.name, p => p.parameter.to(float64).ToArray<double>());
        var stage1 = new TrainerConfig
        {
            Steps = 200, BatchSize = 16, WarmupSteps = 10, LearningRate = 1e-2, Objective = Objective.RuleOnly,
            TrainOnly = new[] { "encoder.", "to_latent.", "rule_classifier." },
            Beta = new BetaSchedule(BetaShape.Constant, 0.01),
        };
        var history = new VaeTrainer(vae, stage1, 0).Run(train, rules);
        foreach (var (name, parameter) in vae.named_parameters())
        {
            bool changed = !before[name].SequenceEqual(parameter.to(float64).ToArray<double>());
            bool trained = stage1.TrainOnly.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal));
            Assert.True(changed == trained, $"{name}: changed {changed}, trained {trained}");
            Assert.True(parameter.requires_grad, $"{name} was left frozen");
        }
        // The rule is the parity of the first token: the encoder learns it (chance is 0.5).
        var accuracy = history.Numbers("rule_acc");
        Assert.True(accuracy.TakeLast(5).Average() > 0.9,
            $"rule accuracy at the end {accuracy.TakeLast(5).Average():F2}");
        Assert.Contains("matches no parameter", Assert.Throws<ArgumentException>(() =>
            new VaeTrainer(vae, stage1 with { TrainOnly = new[] { "nothing." } }, 0).Run(train, rules)).Message);
    }
}

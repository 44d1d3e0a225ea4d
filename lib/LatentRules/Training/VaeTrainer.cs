using LatentRules.Models.Vae;
using LatentRules.Progress;
using LatentRules.Tables;
using LatentRules.Torch;
using Microsoft.Data.Analysis;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LatentRules.Training;

/// <summary>
/// Training settings of one run. The experiments and notebooks take theirs from a preset's <see cref="TrainingRecipe"/>
/// (<see cref="TrainingRecipe.For"/>: the one recipe); the defaults here are a plain run for tests and by-hand use.
/// </summary>
public sealed record TrainerConfig
{
    // optimiser steps (paper: 10 epochs over 4,000 samples per task)
    public int Steps { get; init; } = 500;
    public int BatchSize { get; init; } = 32;
    // peak AdamW learning rate
    public double LearningRate { get; init; } = 2e-3;
    // AdamW decoupled weight decay
    public double WeightDecay { get; init; } = 0.01;
    // linear LR warm-up, then cosine decay to 10%
    public int WarmupSteps { get; init; } = 50;
    // gradient-norm clipping (0: off)
    public double ClipNorm { get; init; } = 1.0;
    public BetaSchedule Beta { get; init; } = new(BetaShape.Linear, 1.0, 250);
    // validate (and checkpoint) every N steps
    public int EvalEvery { get; init; } = 100;
    // stop after this many evaluations without improvement (0: never)
    public int Patience { get; init; } = 0;
    // where checkpoints go (null: none)
    public string? CheckpointDir { get; init; }
    // batch order and all random draws
    public long Seed { get; init; } = 0;
    // end this invocation after N steps (time-boxed runs; resume later)
    public int? StopAfterSteps { get; init; }
    // what the loss is (stage 1 of the study: RuleOnly)
    public Objective Objective { get; init; } = Objective.Elbo;
    // parameter-name prefixes to train, e.g. ["encoder.", "to_latent.", "rule_classifier."]; null: all
    public IReadOnlyList<string>? TrainOnly { get; init; }
    // where the VAE trains: auto (CUDA when present, else CPU), cpu, cuda, cuda:N; the VAE is moved there
    public string Device { get; init; } = "auto";
}

/// <summary>The training loss.</summary>
public enum Objective
{
    /// <summary>
    /// Reconstruction + beta * KL (+ lambda * rule loss when supervised): the VAE objective (stage 2).
    /// </summary>
    Elbo,
    /// <summary>
    /// lambda * rule loss + beta * KL only: trains the encoder to place rules in z (stage 1 of the study).
    /// </summary>
    RuleOnly,
}

/// <summary>A run that produced NaN or Inf; the last good checkpoint (if any) is left in place.</summary>
public sealed class TrainingDivergedException(string message) : Exception(message);

/// <summary>
/// Trains a <see cref="LanguageVae"/> on token sequences with rule labels: AdamW, warm-up + cosine LR, clipping,
/// a beta schedule, validation every N steps with early stopping, checkpoints that resume exactly, and a clear stop
/// on NaN/Inf. Batches are chosen from the step number and seed, so a resumed run sees the same batches.
/// The study's two stages are two runs: stage 1 with <see cref="Objective.RuleOnly"/> and TrainOnly the encoder
/// side, stage 2 with <see cref="Objective.Elbo"/> over everything (or the parts a config names).
/// </summary>
public sealed class VaeTrainer(LanguageVae vae, TrainerConfig config, PadIds padIds)
{
    private static readonly string[] HistoryColumns =
        { "step", "lr", "beta", "loss", "reconstruction", "kl", "rule", "rule_acc", "valid_loss" };
    private readonly List<object?[]> _history = new();

    /// <summary>
    /// One row per step: step, lr, beta, loss, reconstruction, kl, rule, rule_acc and valid_loss (when evaluated).
    /// </summary>
    public DataFrame History => Frames.FromRows(HistoryColumns, _history);

    /// <summary>Autoencoding on [BOS] ... [EOS] sequences with optional rule labels (see the other overload).</summary>
    public DataFrame Run(IReadOnlyList<int[]> train, IReadOnlyList<int>? trainRules, IReadOnlyList<int[]>? valid = null,
        IReadOnlyList<int>? validRules = null, string dataIdentity = "", string tokenizerIdentity = "",
        bool resume = false)
    {
        if (trainRules is not null && trainRules.Count != train.Count)
            throw new ArgumentException($"{trainRules.Count} rule labels for {train.Count} sequences");
        if (valid is not null && validRules is not null && validRules.Count != valid.Count)
            throw new ArgumentException($"{validRules.Count} rule labels for {valid.Count} validation sequences");
        return Run(train.Select((s, i) => VaeSequence.Autoencode(s, trainRules?[i])).ToList(),
            valid?.Select((s, i) => VaeSequence.Autoencode(s, validRules?[i])).ToList(), dataIdentity,
            tokenizerIdentity, resume);
    }

    /// <summary>
    /// Trains from step 0 (or from the checkpoint in CheckpointDir when <paramref name="resume"/>); returns the
    /// history.
    /// </summary>
    public DataFrame Run(IReadOnlyList<VaeSequence> train, IReadOnlyList<VaeSequence>? valid = null,
        string dataIdentity = "", string tokenizerIdentity = "", bool resume = false)
    {
        if (train.Count == 0) throw new ArgumentException("no training sequences");
        var device = Devices.Resolve(config.Device);
        if (!Devices.Same(vae.Device(), device)) vae.to(device);           // before the optimiser sees the parameters
        var trainable = Trainable();
        var frozen = vae.named_parameters().Where(p => !trainable.Contains(p.parameter)).Select(p => p.parameter)
            .Where(p => p.requires_grad).ToList();
        foreach (var p in frozen) p.requires_grad = false;                 // no gradients computed for frozen parts
        try { return Loop(train, valid, trainable, dataIdentity, tokenizerIdentity, resume); }
        finally { foreach (var p in frozen) p.requires_grad = true; }
    }

    private List<Parameter> Trainable()
    {
        if (config.TrainOnly is null) return vae.parameters().ToList();
        var chosen = vae.named_parameters().Where(p => config.TrainOnly.Any(
            prefix => p.name.StartsWith(prefix, StringComparison.Ordinal))).Select(p => p.parameter).ToList();
        if (chosen.Count == 0)
            throw new ArgumentException($"TrainOnly [{string.Join(", ", config.TrainOnly)}] matches no parameter; " +
                $"names look like " +
                                        string.Join(", ", vae.named_parameters().Select(p => p.name).Take(4)));
        return chosen;
    }

    private DataFrame Loop(IReadOnlyList<VaeSequence> train, IReadOnlyList<VaeSequence>? valid,
        List<Parameter> trainable,
        string dataIdentity, string tokenizerIdentity, bool resume)
    {
        using var opt = optim.AdamW(trainable, lr: config.LearningRate, weight_decay: config.WeightDecay);
        long start = 0;
        if (resume && config.CheckpointDir is { } dir && Directory.Exists(dir))
            start = Checkpoint.Load(dir, vae, opt, dataIdentity, tokenizerIdentity).Step;
        else manual_seed(config.Seed);
        int warmup = Math.Min(config.WarmupSteps, config.Steps);
        var schedule = optim.lr_scheduler.LambdaLR(opt, step => LearningRateFactor(step, warmup, config.Steps),
            last_epoch: (int)start - 1);                                    // its constructor steps to `start`

        double best = double.PositiveInfinity;
        int sinceBest = 0;
        vae.train();
        long end = config.StopAfterSteps is int budget ? Math.Min(config.Steps, start + budget) : config.Steps;
        using var progress = new ProgressReporter(end - start, "VAE");
        for (long step = start; step < end; step++)
        {
            // same batch for a step in any process
            var rng = new Randomness.SeededRandom(config.Seed, $"vae/batch/{step}");
            var rows = Enumerable.Range(0, config.BatchSize).Select(_ => rng.Next(train.Count)).ToList();
            double beta = config.Beta.At(step, config.Steps), lr = opt.ParamGroups.First().LearningRate;
            double loss, recon, kl, rule, ruleAcc;
            using (var scope = NewDisposeScope())
            using (var batch = new VaeBatch(rows.Select(i => train[i]).ToList(), padIds, vae.Device()))
            {
                opt.zero_grad();
                var l = batch.Loss(vae, beta);
                var objective = Objectives(l, beta);
                (loss, recon, kl, rule) =
                    (objective.ToDouble(), l.Reconstruction.ToDouble(), l.Kl.ToDouble(), l.Rule?.ToDouble() ?? 0);
                ruleAcc = l.RuleAccuracy?.ToDouble() ?? double.NaN;
                if (!double.IsFinite(loss))
                    throw new TrainingDivergedException(
                        $"loss became {loss} at step {step + 1} (reconstruction {recon}, KL {kl}, rule {rule}); " +
                        (config.CheckpointDir is null ? "no checkpoint was configured"
                            : $"the last good checkpoint is in {config.CheckpointDir}") +
                        "; lower the learning rate or beta");
                objective.backward();
                if (config.ClipNorm > 0) nn.utils.clip_grad_norm_(trainable, config.ClipNorm);
                opt.step();
            }
            schedule.step();
            progress.Step(examples: config.BatchSize, loss: loss);

            double? validLoss = null;
            bool evaluate = (step + 1) % config.EvalEvery == 0 || step + 1 == end;
            if (evaluate && valid is { Count: > 0 })
            {
                validLoss = Evaluate(valid, config.Beta.Beta);   // the target objective, comparable across steps
                if (validLoss < best - 1e-9) { best = validLoss.Value; sinceBest = 0; } else sinceBest++;
            }
            _history.Add(new object?[] { step + 1, lr, beta, loss, recon, kl, rule,
                double.IsNaN(ruleAcc) ? null : ruleAcc, validLoss });
            if (evaluate && config.CheckpointDir is { } ckpt)
                Checkpoint.Save(ckpt, vae, opt,
                    new CheckpointManifest(step + 1, dataIdentity, tokenizerIdentity, DateTime.UtcNow));
            if (config.Patience > 0 && sinceBest >= config.Patience) break;
        }
        return History;
    }

    /// <summary>
    /// Multiplier of the peak learning rate after <paramref name="step"/> optimiser steps: linear warm-up from 0, then
    /// cosine decay from 1 to 0.1 at <paramref name="total"/> steps.
    /// </summary>
    public static double LearningRateFactor(long step, int warmup, int total)
    {
        if (step < warmup) return (double)step / warmup;
        double progress = Math.Min(1.0, (double)(step - warmup) / Math.Max(1, total - warmup));
        return 0.1 + 0.9 * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }

    /// <summary>The loss this run minimises, from the parts of one evaluation.</summary>
    private Tensor Objectives(VaeLoss l, double beta) => config.Objective switch
    {
        Objective.Elbo => l.Total.alias(),
        Objective.RuleOnly => (l.Rule ?? throw new ArgumentException("Objective.RuleOnly needs rule labels and a VAE " +
            "with RuleCount > 0")) * vae.Config.RuleWeight + l.Kl * beta,
        _ => throw new ArgumentOutOfRangeException(nameof(config.Objective)),
    };

    /// <summary>
    /// Mean objective over the validation sequences with z = posterior mean (eval mode); restores the mode it found.
    /// </summary>
    public double Evaluate(IReadOnlyList<VaeSequence> valid, double beta)
    {
        double total = 0;
        EvalBatches.ForEach(vae, valid, padIds, (_, batch) =>
            total += Objectives(batch.Loss(vae, beta), beta).ToDouble() * batch.Count, config.BatchSize);
        return total / valid.Count;
    }
}

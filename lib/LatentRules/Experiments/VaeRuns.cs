using LatentRules.Data;
using LatentRules.Evaluation;
using LatentRules.Models.Vae;
using LatentRules.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace LatentRules.Experiments;

/// <summary>
/// The pieces every VAE experiment shares: one seed's data, a model trained supervised (the study's two stages) or
/// unsupervised (the control: lambda 0, no stage 1, no label anywhere), and the measurements of a trained model.
/// </summary>
public static class VaeRuns
{
    /// <summary>
    /// One seed's data made ready; refuses, naming --size, when a split the experiments need is empty or too small.
    /// <paramref name="task"/>: the config's task when already loaded (a --data file is then not read again per seed).
    /// </summary>
    public static VaeExperiment Prepare(ExperimentConfig config, int seed, int? size = null,
        IReasoningTask? task = null)
    {
        task ??= ExperimentFiles.Task(config.DataFile, config.Task);
        var options = config.Generation(seed, size);
        var splits = task.Generate(options);
        foreach (var (name, split) in new[] { ("train", splits.Train), ("valid", splits.Valid) })
            if (split.Count < 2)
                throw new ArgumentException(config.DataFile is { } file
                    ? $"--data {file} leaves the {name} split with {split.Count} example(s) (seed {seed}); give " +
                      "more examples or change --valid-fraction / --test-fraction"
                    : $"--size {options.Size} leaves the {name} split of {task.Name} with " +
                      $"{split.Count} example(s) (seed {seed}); raise --size");
        return VaeExperiment.Prepare(task, splits, config.Mode, config.EncoderReadsConclusion,
            config.Weights.DecoderTokenizer(), config.EncoderReadsRuleText, config.Weights.EncoderTokenizer());
    }

    /// <summary>
    /// Each seed's data, or null for a seed whose arms are all saved (<paramref name="saved"/>, per seed in the
    /// config's order): the task (a --data file) is read once, and not at all when every seed is saved.
    /// </summary>
    public static List<VaeExperiment?> PrepareUnsaved<T>(ExperimentConfig config, IReadOnlyList<RunPart<T>?[]> saved,
        int? size = null)
    {
        IReasoningTask? task = null;
        return config.Seeds.Select((seed, i) => saved[i].All(p => p is not null) ? null
            : Prepare(config, seed, size, task ??= ExperimentFiles.Task(config.DataFile, config.Task))).ToList();
    }

    /// <summary>
    /// Trains one model from the seed's initialisation. Supervised: stage 1 (rule loss on z, encoder side) then stage 2
    /// (ELBO + lambda * rule loss), the label to the decoder as configured. Unsupervised: stage 2 only, no classifier,
    /// no label: the control that shows what z looks like without rule supervision. The encoder and decoder start from
    /// <see cref="ExperimentConfig.Weights"/> where it names folders. With <paramref name="encoderStage"/> (supervised
    /// only) stage 1 is not run: the model's encoder side is set to that stage-1 result and stage 2 starts from there.
    /// </summary>
    public static LanguageVae Train(VaeExperiment experiment, ExperimentConfig config, int seed, bool supervised,
        Injection? injection = null, int? steps = null, EncoderStage? encoderStage = null)
    {
        if (encoderStage is not null && !supervised)
            throw new ArgumentException("a stage-1 result is for supervised models only");
        int n = steps ?? config.Steps;
        var vae = NewModel(experiment, config, seed, supervised, injection);
        try
        {
            encoderStage?.ApplyTo(vae);
            experiment.Train(vae, Trainer(config, seed, n),
                supervised && encoderStage is null ? config.EncoderSteps : 0);
            return vae;
        }
        catch
        {
            vae.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Stage 1 of a supervised model of the seed (the config's injection; stage 1 does not train the injection), as
    /// <see cref="Train"/> runs it: what every injection mode of the seed can start stage 2 from, so that the modes
    /// differ only where the comparison is.
    /// </summary>
    public static EncoderStage TrainEncoderStage(VaeExperiment experiment, ExperimentConfig config, int seed)
    {
        using var vae = NewModel(experiment, config, seed, supervised: true, injection: null);
        experiment.TrainEncoderStage(vae, Trainer(config, seed, config.Steps), config.EncoderSteps);
        return EncoderStage.Of(vae);
    }

    /// <summary>
    /// The seed's fresh model, as <see cref="Train"/> starts it: supervised (classifier, label to the decoder as
    /// configured) or the unsupervised control (lambda 0, no label), from the config's weights where it names folders.
    /// </summary>
    public static LanguageVae NewModel(VaeExperiment experiment, ExperimentConfig config, int seed, bool supervised,
        Injection? injection = null)
    {
        var model = experiment.ModelConfig(config.Vae with
        {
            Injection = injection ?? config.Vae.Injection,
            RuleWeight = supervised ? config.Vae.RuleWeight : 0,
            RuleToDecoder = supervised && config.Vae.RuleToDecoder,
        });
        manual_seed(seed);
        return config.Weights.NewVae(model);
    }

    /// <summary>
    /// Stage 2's schedule for <paramref name="steps"/> steps (default: the config's) from the preset's one recipe;
    /// stage 1 takes its warm-up and seed from it. <paramref name="evaluations"/>: validation points in the history.
    /// </summary>
    public static TrainerConfig Trainer(ExperimentConfig config, int seed, int? steps = null, int evaluations = 1) =>
        config.Recipe.For(steps ?? config.Steps, seed, config.Device, evaluations);

    /// <summary>
    /// The decoder measures on the in-distribution split: teacher-forced token loss and accuracy, z use and rule
    /// control (<see cref="DecoderUse"/>, rule means from the training split), verified and exact-match shares of
    /// greedily generated conclusions for the first <see cref="ExperimentConfig.ScoreLimit"/> items, active units, and
    /// for tasks where any rule applies to any premise (math) the verifier's rule steering on the same items
    /// (<see cref="RuleSteering"/>).
    /// </summary>
    public static Dictionary<string, double> DecoderMeasures(VaeExperiment experiment, LanguageVae vae,
        ExperimentConfig config, int seed)
    {
        var valid = experiment.Data.Valid;
        var (mu, logvar) = PosteriorEncoding.Points(vae, experiment.Examples, valid);
        var (trainMu, _) = PosteriorEncoding.Points(vae, experiment.Examples, experiment.Data.Train);
        var means = DecoderUse.RuleMeans(trainMu, experiment.Data.Train.Select(experiment.Examples.RuleLabel).ToList(),
            experiment.Rules.Count);
        var use = DecoderUse.Of(vae, experiment.Examples.Build(valid), mu, means, experiment.Examples.PadIds, seed);
        var scored = valid.Take(config.ScoreLimit).ToList();
        var generation = GenerationScores.Of(scored,
            ConclusionGeneration.FromPosteriors(vae, experiment.Examples, scored), experiment.Task);
        var health = LatentHealth.Of(mu, logvar, seed);
        var values = new Dictionary<string, double>
        {
            ["token_loss"] = use.TokenLoss, ["token_accuracy"] = use.TokenAccuracy, ["z_use"] = use.ZUse,
            ["rule_control"] = use.RuleControl, ["verified"] = generation.Verified,
            ["exact_match"] = generation.ExactMatch,
            ["scored"] = generation.Count, ["active_units"] = health.ActiveUnits, ["kl"] = health.TotalKl,
        };
        if (experiment.Task.AnyRuleAppliesToAnyPremises)
        {
            var steering = RuleSteering.Of(vae, experiment.Examples, experiment.Task, scored, means);
            values["steered_follows"] = steering.Steered;
            values["unsteered_follows"] = steering.Unsteered;
            values["rule_steering"] = steering.Effect;
            values["own_rule_follows"] = steering.OwnRule;
        }
        return values;
    }
}

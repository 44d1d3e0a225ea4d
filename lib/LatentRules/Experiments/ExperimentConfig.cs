using LatentRules.Data;
using LatentRules.Models.Vae;
using LatentRules.Training;

namespace LatentRules.Experiments;

/// <summary>
/// Settings of the VAE experiments (rule-clusters, injection, sample-sweep). Every value comes from a preset
/// (Presets/SmallPreset.cs, Presets/PaperPreset.cs: <see cref="ExperimentPreset"/>), changed with <c>with</c> or a
/// command-line option (in brackets). A report records the whole record, so a run can be repeated from its JSON.
/// </summary>
public sealed record ExperimentConfig : ISeedRunSettings
{
    // [--preset] the preset these settings started from ("small" or "paper")
    public required string Preset { get; init; }
    // [--task] a ReasoningTasks name (with --data: the file's, "file:<name>")
    public required string Task { get; init; }
    // [--data] your own rule-labelled steps instead of a generated task: a .jsonl or .csv file (Data/UserData); null:
    // generate --task
    public string? DataFile { get; init; }
    // [--seeds] one dataset, initialisation and training run per seed
    public required IReadOnlyList<int> Seeds { get; init; }
    // [--size] examples generated per seed (paper: 4,000 per task)
    public required int Size { get; init; }
    // [--valid-fraction] in-distribution split
    public required double ValidFraction { get; init; }
    // [--test-fraction] held-out groups (generalisation)
    public required double TestFraction { get; init; }
    // [--mode] the study's VAE reconstructs the step (Autoencoding)
    public required TargetMode Mode { get; init; }
    // [--encoder-reads-conclusion] the study's encoder reads premises and conclusion
    public required bool EncoderReadsConclusion { get; init; }
    // [--encoder-reads-rule-text] math: the encoder also reads "performing <rule>", as the published lines carry it
    public required bool EncoderReadsRuleText { get; init; }
    // [--encoder-steps] stage 1 of the supervised runs (rule loss on z)
    public required int EncoderSteps { get; init; }
    // [--steps] stage 2 (ELBO) steps (paper: 10 epochs)
    public required int Steps { get; init; }
    // [--learning-rate, --beta, --batch-size] the one training recipe (paper: beta 1, batch 32)
    public required TrainingRecipe Recipe { get; init; }
    // the supervised model ([--latent], [--rule-weight] lambda, [--rule-to-decoder], [--injection], [--free-bits]);
    // vocabulary sizes are filled in from the data
    public required VaeConfig Vae { get; init; }
    // [--injections] the modes the injection experiment compares
    public required IReadOnlyList<Injection> Injections { get; init; }
    // [--rule-weights] rule-clusters: one supervised and one shuffled-label arm per lambda (null: --rule-weight alone)
    public IReadOnlyList<double>? RuleWeights { get; init; }
    // [--sample-sizes] sample-sweep: training-set sizes n, doubling so that a plateau can show (paper: 250 ... 8,000)
    public required IReadOnlyList<int> SampleSizes { get; init; }
    // [--sweep-steps] sample-sweep: the same stage-2 step budget for every n, so only the data changes
    public required int SweepSteps { get; init; }
    // [--device] auto (CUDA when present, else CPU), cpu, cuda, cuda:N
    public required string Device { get; init; }
    // [--workers] seeds trained at once, in child processes (0: one per core on the CPU, one on a GPU); how the run
    // is carried out, not what it measures
    public required int Workers { get; init; }
    // [--score-limit] in-distribution items generated and verified per run
    public required int ScoreLimit { get; init; }
    // [--encoder-weights, --decoder-weights] folders to start from (none: random; paper: bert-base-cased,
    // Qwen2.5-0.5B)
    public required PretrainedWeights Weights { get; init; }

    /// <summary>
    /// Checks what can be checked before generating data; every message names the command-line option.
    /// </summary>
    public ExperimentConfig Validate()
    {
        ExperimentFiles.CheckTaskAndSeeds(Task, Seeds, DataFile);
        if (Workers < 0) throw new ArgumentException($"--workers must be 0 (one per core) or more, got {Workers}");
        if (Size < 1) throw new ArgumentException($"--size must be positive, got {Size}");
        if (ValidFraction <= 0 || TestFraction < 0 || ValidFraction + TestFraction >= 1)
            throw new ArgumentException($"--valid-fraction ({ValidFraction}) must be above 0 and --test-fraction " +
                $"({TestFraction}) at least 0, summing to less than 1");
        if (EncoderSteps < 0) throw new ArgumentException($"--encoder-steps must be 0 or more, got {EncoderSteps}");
        if (Steps < 1) throw new ArgumentException($"--steps must be at least 1, got {Steps}");
        Recipe.Validate();
        if (Vae.LatentSize < 1) throw new ArgumentException($"--latent must be at least 1, got {Vae.LatentSize}");
        if (Vae.RuleWeight <= 0)
            throw new ArgumentException("--rule-weight must be above 0 (the unsupervised control is run beside it), " +
                $"got {Vae.RuleWeight}");
        if (Vae.FreeBits < 0) throw new ArgumentException($"--free-bits must be 0 or more, got {Vae.FreeBits}");
        if (Vae.Injection == Injection.None)
            throw new ArgumentException("--injection: choose Memory, KeyValue, Query or Embedding");
        if (Injections.Count < 2)
            throw new ArgumentException("--injections: give at least two modes to compare, e.g. Memory,KeyValue,Query");
        if (SampleSizes.Count < 2 || SampleSizes.Any(n => n < 1))
            throw new ArgumentException("--sample-sizes: give at least two positive sizes, got " +
                $"{string.Join(",", SampleSizes)}");
        if (SweepSteps < 1) throw new ArgumentException($"--sweep-steps must be at least 1, got {SweepSteps}");
        if (RuleWeights is { } weights
            && (weights.Count == 0 || weights.Any(w => !(w > 0)) || weights.Distinct().Count() != weights.Count))
            throw new ArgumentException("--rule-weights: give distinct weights above 0, e.g. 0.1,1,10; got " +
                $"{string.Join(",", weights)}");
        if (ScoreLimit < 1) throw new ArgumentException($"--score-limit must be at least 1, got {ScoreLimit}");
        Weights.Check();
        return this;
    }

    /// <summary>
    /// The lambdas rule-clusters compares: <see cref="RuleWeights"/>, or the one <see cref="VaeConfig.RuleWeight"/>.
    /// </summary>
    public IReadOnlyList<double> RuleWeightsToRun => RuleWeights ?? new[] { Vae.RuleWeight };

    /// <summary>A copy whose supervised model does (or does not) also give the label to the decoder.</summary>
    public ExperimentConfig WithRuleToDecoder(bool on) => this with { Vae = Vae with { RuleToDecoder = on } };

    /// <summary>A copy with a per-dimension KL floor of <paramref name="nats"/>.</summary>
    public ExperimentConfig WithFreeBits(double nats) => this with { Vae = Vae with { FreeBits = nats } };

    /// <summary>The generation options of one seed.</summary>
    public GenerationOptions Generation(int seed, int? size = null) =>
        new(size ?? Size, seed, ValidFraction, TestFraction);
}

using LatentRules.Data;
using LatentRules.Models.Bert;
using LatentRules.Models.Vae;

namespace LatentRules.Experiments;

/// <summary>
/// Settings of the VAE experiments (rule-clusters, injection, sample-sweep). Defaults are CPU-sized: one task with
/// 3 seeds in a few minutes on 2 cores; <see cref="Paper"/> gives the study's scale. The command-line option of each
/// field is in brackets.
/// </summary>
public sealed record ExperimentConfig
{
    // [--task] a ReasoningTasks name
    public string Task { get; init; } = "math";
    // [--seeds] one dataset, initialisation and training run per seed
    public IReadOnlyList<int> Seeds { get; init; } = new[] { 1, 2, 3 };
    // [--size] examples generated per seed (paper: 4,000 per task)
    public int Size { get; init; } = 1500;
    // [--valid-fraction] in-distribution split (>= 200 items scored at 1,000+)
    public double ValidFraction { get; init; } = 0.2;
    // [--test-fraction] held-out groups (generalisation)
    public double TestFraction { get; init; } = 0.1;
    // [--mode] the study's VAE reconstructs the step
    public TargetMode Mode { get; init; } = TargetMode.Autoencoding;
    // [--encoder-reads-conclusion] the study's encoder reads premises and conclusion
    public bool EncoderReadsConclusion { get; init; } = true;
    // [--encoder-reads-rule-text] math: the encoder also reads "performing <rule>", as the published lines carry it
    public bool EncoderReadsRuleText { get; init; } = false;
    // [--encoder-steps] stage 1 of the supervised runs (rule loss on z)
    public int EncoderSteps { get; init; } = 100;
    // [--steps] stage 2 (ELBO) steps (paper: 10 epochs)
    public int Steps { get; init; } = 300;
    // [--batch-size]
    public int BatchSize { get; init; } = 32;
    // [--beta] KL weight after a linear warm-up over half the steps (paper: 1)
    public double Beta { get; init; } = 0.2;
    // the supervised model; sizes filled in from the data
    public VaeConfig Vae { get; init; } = new()
    {
        // [--latent] dimensions of z (paper: 32)
        LatentSize = 16,
        // [--rule-weight] lambda (the study: 0.1-1)
        RuleWeight = 1,
        // [--rule-to-decoder] the label also to the decoder (released checkpoints: label_dec_True)
        RuleToDecoder = true,
        // [--injection] for rule-clusters and sample-sweep
        Injection = Injection.Query,
        // [--free-bits] per-dimension KL floor (the group's libraries use one)
        FreeBits = 0,
        // encoder and decoder: VaeConfig's CPU-sized defaults
    };
    // [--injections] the modes the injection experiment compares
    public IReadOnlyList<Injection> Injections { get; init; } =
        new[] { Injection.Memory, Injection.KeyValue, Injection.Query };
    // [--rule-weights] rule-clusters: one supervised and one shuffled-label arm per lambda (null: --rule-weight alone)
    public IReadOnlyList<double>? RuleWeights { get; init; }
    // [--sample-sizes] sample-sweep: training-set sizes n, doubling so that a plateau can show (paper: 250 ... 8,000)
    public IReadOnlyList<int> SampleSizes { get; init; } = new[] { 100, 200, 400, 800 };
    // [--sweep-steps] sample-sweep: the same stage-2 step budget for every n, so only the data changes (paper: 2,500,
    // 10 epochs of the largest n at batch 32)
    public int SweepSteps { get; init; } = 300;
    // [--device] auto (CUDA when present, else CPU), cpu, cuda, cuda:N
    public string Device { get; init; } = "auto";
    // [--score-limit] in-distribution items generated and verified per run
    public int ScoreLimit { get; init; } = 200;
    // [--encoder-weights, --decoder-weights] folders to start from (none: random; paper: bert-base-cased,
    // Qwen2.5-0.5B)
    public PretrainedWeights Weights { get; init; } = new();

    /// <summary>
    /// The study's scale for one task (run it on a GPU): 4,000 examples, latent 32, beta 1, 10 epochs, lambda 1, the
    /// encoder and decoder loaded from bert-base-cased and Qwen2.5-0.5B in <paramref name="weightsRoot"/> (as <c>lab
    /// download</c>
    /// puts them); the sizes in <see cref="Vae"/> are those models' shapes, used for a side whose weights are set to
    /// none.
    /// </summary>
    public static ExperimentConfig Paper(string task, string weightsRoot = "data/downloads") => new()
    {
        // 10 epochs over the 2,800 training examples at batch 32
        Task = task, Size = 4000, Beta = 1, Steps = 875,
        Weights = PretrainedWeights.Paper(weightsRoot),
        Vae = new VaeConfig
        {
            LatentSize = 32, RuleWeight = 1, RuleToDecoder = true, Injection = Injection.Query,
            Encoder = BertConfig.BertBaseCased, Decoder = new Models.Qwen2.Qwen2Config(),
        },
        SampleSizes = new[] { 250, 500, 1000, 2000, 4000, 8000 }, SweepSteps = 2500, ScoreLimit = 400,
    };

    /// <summary>
    /// Checks what can be checked before generating data; every message names the command-line option.
    /// </summary>
    public ExperimentConfig Validate()
    {
        ExperimentFiles.CheckTaskAndSeeds(Task, Seeds);
        if (Size < 1) throw new ArgumentException($"--size must be positive, got {Size}");
        if (ValidFraction <= 0 || TestFraction < 0 || ValidFraction + TestFraction >= 1)
            throw new ArgumentException($"--valid-fraction ({ValidFraction}) must be above 0 and --test-fraction " +
                $"({TestFraction}) at least 0, summing to less than 1");
        if (EncoderSteps < 0) throw new ArgumentException($"--encoder-steps must be 0 or more, got {EncoderSteps}");
        if (Steps < 1) throw new ArgumentException($"--steps must be at least 1, got {Steps}");
        if (BatchSize < 1) throw new ArgumentException($"--batch-size must be at least 1, got {BatchSize}");
        if (Vae.LatentSize < 1) throw new ArgumentException($"--latent must be at least 1, got {Vae.LatentSize}");
        if (Vae.RuleWeight <= 0)
            throw new ArgumentException("--rule-weight must be above 0 (the unsupervised control is run beside it), " +
                $"got {Vae.RuleWeight}");
        if (Vae.FreeBits < 0) throw new ArgumentException($"--free-bits must be 0 or more, got {Vae.FreeBits}");
        if (Vae.Injection == Injection.None)
            throw new ArgumentException("--injection: choose Memory, KeyValue, Query or Embedding");
        if (Beta < 0) throw new ArgumentException($"--beta must be 0 or more, got {Beta}");
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

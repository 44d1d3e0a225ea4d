using LatentRules.Analysis.ParameterSpace;
using LatentRules.Data;
using LatentRules.Models.Vae;

namespace LatentRules.Experiments;

/// <summary>
/// Settings of the finding-3 experiment (<see cref="TangentKernelExperiment"/>). Defaults are small enough for one task
/// with 3 seeds in a few minutes on 2 CPU cores; the command-line option of each field is given in brackets.
/// </summary>
public sealed record TangentKernelConfig
{
    // [--task] a ReasoningTasks name
    public string Task { get; init; } = "math";
    // [--seeds] one dataset, initialisation, training run and sample per seed
    public IReadOnlyList<int> Seeds { get; init; } = new[] { 1, 2, 3 };
    // [--size] examples generated per seed (10% valid, 10% test)
    public int Size { get; init; } = 1000;
    // [--encoder-steps] stage 1 (rule loss on z), as notebook 03
    public int EncoderSteps { get; init; } = 100;
    // [--steps] stage 2 (ELBO), as notebook 03
    public int Steps { get; init; } = 300;
    // [--per-rule] held-out examples per rule in the kernel sample (at least 8)
    public int PerRule { get; init; } = 8;
    // [--permutations] label permutations of the null
    public int Permutations { get; init; } = 1000;
    // [--output] a function the same for every example
    public KernelOutput Output { get; init; } = KernelOutput.MeanJacobian;
    // the model (VaeConfig defaults, notebook 03's lambda)
    public VaeConfig Vae { get; init; } = new() { RuleWeight = 20 };
    // [--encoder-weights, --decoder-weights] folders to start from (none: random)
    public PretrainedWeights Weights { get; init; } = new();

    /// <summary>
    /// The study's scale (a GPU job): 4,000 examples, latent 32, lambda 1, 875 stage-2 steps, the encoder from
    /// bert-base-cased and the decoder from Qwen2.5-0.5B in <paramref name="weightsRoot"/>. "untrained" is then the
    /// pretrained encoder before VAE training. The kernels are accumulated in column blocks, so bert-base's 108M
    /// parameters need bounded memory.
    /// </summary>
    public static TangentKernelConfig Paper(string task, string weightsRoot = "data/downloads") => new()
    {
        Task = task, Size = 4000, Steps = 875,
        Vae = new VaeConfig
        {
            LatentSize = 32, RuleWeight = 1, Encoder = Models.Bert.BertConfig.BertBaseCased,
            Decoder = new Models.Qwen2.Qwen2Config()
        },
        Weights = PretrainedWeights.Paper(weightsRoot),
    };

    /// <summary>
    /// The smallest kernel sample per rule: with fewer, a rule's within-rule pairs are too few to compare.
    /// </summary>
    public const int MinPerRule = 8;

    /// <summary>Checks what can be checked before generating data; messages name the command-line option.</summary>
    public TangentKernelConfig Validate()
    {
        ExperimentFiles.CheckTaskAndSeeds(Task, Seeds);
        if (Size < 1) throw new ArgumentException($"--size must be positive, got {Size}");
        if (EncoderSteps < 0) throw new ArgumentException($"--encoder-steps must be 0 or more, got {EncoderSteps}");
        if (Steps < 1) throw new ArgumentException($"--steps must be at least 1, got {Steps}");
        if (PerRule < MinPerRule)
            throw new ArgumentException($"--per-rule must be at least {MinPerRule}, got {PerRule}");
        if (Permutations < 1) throw new ArgumentException($"--permutations must be at least 1, got {Permutations}");
        if (Output is KernelOutput.RuleLogit or KernelOutput.Reconstruction)
            throw new ArgumentException($"--output {Output} is not one function of the encoder shared by every " +
                "example; use MeanJacobian, RuleLogitSum or MeanOfZ");
        Weights.Check();
        return this;
    }
}

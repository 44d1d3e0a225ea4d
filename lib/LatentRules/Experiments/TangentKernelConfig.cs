using LatentRules.Analysis.ParameterSpace;
using LatentRules.Data;
using LatentRules.Models.Vae;
using LatentRules.Training;

namespace LatentRules.Experiments;

/// <summary>
/// Settings of the finding-3 experiment (<see cref="TangentKernelExperiment"/>). Every value comes from a preset
/// (<see cref="ExperimentPreset"/>), changed with <c>with</c> or a command-line option (in brackets).
/// </summary>
public sealed record TangentKernelConfig : ISeedRunSettings
{
    // [--preset] the preset these settings started from ("small" or "paper")
    public required string Preset { get; init; }
    // [--task] a ReasoningTasks name (with --data: the file's, "file:<name>")
    public required string Task { get; init; }
    // [--data] your own rule-labelled steps instead of a generated task: a .jsonl or .csv file (Data/UserData); null:
    // generate --task
    public string? DataFile { get; init; }
    // [--seeds] one dataset, initialisation, training run and sample per seed
    public required IReadOnlyList<int> Seeds { get; init; }
    // [--size] examples generated per seed (10% valid, 10% test; paper: 4,000)
    public required int Size { get; init; }
    // [--encoder-steps] stage 1 (rule loss on z)
    public required int EncoderSteps { get; init; }
    // [--steps] stage 2 (ELBO; paper: 10 epochs)
    public required int Steps { get; init; }
    // [--learning-rate, --beta, --batch-size] the one training recipe
    public required TrainingRecipe Recipe { get; init; }
    // [--per-rule] held-out examples per rule in the kernel sample (at least 8)
    public required int PerRule { get; init; }
    // [--permutations] label permutations of the null
    public required int Permutations { get; init; }
    // [--output] a function the same for every example
    public required KernelOutput Output { get; init; }
    // the model ([--latent], [--rule-weight] lambda)
    public required VaeConfig Vae { get; init; }
    // [--device] auto (CUDA when present, else CPU), cpu, cuda, cuda:N
    public required string Device { get; init; }
    // [--workers] seeds trained at once, in child processes (0: one per core on the CPU, one on a GPU); how the run
    // is carried out, not what it measures
    public required int Workers { get; init; }
    // [--encoder-weights, --decoder-weights] folders to start from (none: random)
    public required PretrainedWeights Weights { get; init; }

    /// <summary>
    /// The smallest kernel sample per rule: with fewer, a rule's within-rule pairs are too few to compare.
    /// </summary>
    public const int MinPerRule = 8;

    /// <summary>Checks what can be checked before generating data; messages name the command-line option.</summary>
    public TangentKernelConfig Validate()
    {
        ExperimentFiles.CheckTaskAndSeeds(Task, Seeds, DataFile);
        if (Workers < 0) throw new ArgumentException($"--workers must be 0 (one per core) or more, got {Workers}");
        if (Size < 1) throw new ArgumentException($"--size must be positive, got {Size}");
        if (EncoderSteps < 0) throw new ArgumentException($"--encoder-steps must be 0 or more, got {EncoderSteps}");
        if (Steps < 1) throw new ArgumentException($"--steps must be at least 1, got {Steps}");
        if (PerRule < MinPerRule)
            throw new ArgumentException($"--per-rule must be at least {MinPerRule}, got {PerRule}");
        if (Permutations < 1) throw new ArgumentException($"--permutations must be at least 1, got {Permutations}");
        if (Output is KernelOutput.RuleLogit or KernelOutput.Reconstruction)
            throw new ArgumentException($"--output {Output} is not one function of the encoder shared by every " +
                "example; use MeanJacobian, RuleLogitSum or MeanOfZ");
        if (Vae.LatentSize < 1) throw new ArgumentException($"--latent must be at least 1, got {Vae.LatentSize}");
        if (Vae.RuleWeight <= 0) throw new ArgumentException($"--rule-weight must be above 0, got {Vae.RuleWeight}");
        Recipe.Validate();
        Weights.Check();
        return this;
    }
}

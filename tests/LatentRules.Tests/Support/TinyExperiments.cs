using LatentRules.Experiments;
using LatentRules.Models.Vae;

namespace LatentRules.Tests.Support;

/// <summary>
/// The small preset's experiments shrunk to a tiny model, two seeds and a few steps, in this process: they check the
/// machinery, never a finding's outcome.
/// </summary>
public static class TinyExperiments
{
    /// <summary>Rule-clusters, injection and sample-sweep settings (math, 200 examples, 2 + 3 steps).</summary>
    public static ExperimentConfig Vae { get; } = SmallPreset.Preset.RuleClusters with
    {
        Task = "math",
        Seeds = new[] { 1, 2 },
        Size = 200,
        EncoderSteps = 2,
        Steps = 3,
        ScoreLimit = 5,
        SampleSizes = new[] { 20, 40, 80 },
        SweepSteps = 2,
        Vae = TinyVae.Config with { RuleToDecoder = true },
        Workers = 1,           // in this process (SeedWorkersTests runs workers)
    };

    /// <summary>
    /// Tangent-kernel settings (math, 200 examples, 2 + 2 steps, 8 examples per rule, 99 permutations).
    /// </summary>
    public static TangentKernelConfig Kernel { get; } = SmallPreset.Preset.TangentKernel with
    {
        Task = "math",
        Seeds = new[] { 1, 2 },
        Size = 200,
        EncoderSteps = 2,
        Steps = 2,
        PerRule = 8,
        Permutations = 99,
        Vae = TinyVae.Config,
        Workers = 1,
    };
}

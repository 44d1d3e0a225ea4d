using LatentRules.Analysis.ParameterSpace;
using LatentRules.Models.Vae;
using LatentRules.Training;

namespace LatentRules.Experiments;

/// <summary>
/// The small preset: every experiment's default run (8 seeds) within about 10 minutes on 2 CPU cores. The models are
/// VaeConfig's CPU-sized encoder (BERT-shaped, 2 layers) and tiny Qwen2-shaped decoder, trained from random weights.
/// Steps and scored items were set for time, before any verdict was seen; lib/LatentRules/Experiments/RESULTS.md
/// has the measured runs.
/// </summary>
public static class SmallPreset
{
    // The one training recipe at this scale.
    private static readonly TrainingRecipe Recipe = new()
    {
        LearningRate = 2e-3, WarmupFraction = 0.1, Beta = 0.2, BetaWarmupFraction = 0.5, BatchSize = 32,
    };

    private static readonly IReadOnlyList<int> Seeds = new[] { 1, 2, 3, 4, 5, 6, 7, 8 };

    // What the three VAE experiments share.
    private static readonly ExperimentConfig Vae = new()
    {
        Preset = ExperimentPreset.SmallName, Task = "math", Seeds = Seeds,
        Size = 1500, ValidFraction = 0.2, TestFraction = 0.1,
        Mode = TargetMode.Autoencoding, EncoderReadsConclusion = true, EncoderReadsRuleText = false,
        EncoderSteps = 60, Steps = 200, Recipe = Recipe,
        Vae = new VaeConfig
        {
            LatentSize = 16, RuleWeight = 1, RuleToDecoder = true, Injection = Injection.Query, FreeBits = 0,
        },
        Injections = new[] { Injection.Memory, Injection.KeyValue, Injection.Query },
        RuleWeights = null,
        // log-spaced n (x3) and 600 steps for every n: at 200 steps every n ended at the same loss (compute-bound);
        // 600 is what 3 sizes x 8 seeds allow in 10 minutes on 2 cores (RESULTS.md, 2026-12-07)
        SampleSizes = new[] { 100, 300, 900 }, SweepSteps = 600,
        Device = "auto", Workers = 0, ScoreLimit = 100, Weights = new PretrainedWeights(),
    };

    public static ExperimentPreset Preset { get; } = new(
        Name: ExperimentPreset.SmallName,
        RuleClusters: Vae,
        // the decoder writes the conclusion from the premises and z, is not given the label (so the rule reaches it
        // only through z), and a free-bits floor of 0.5 nats per dimension keeps z in use
        Injection: Vae with
        {
            Mode = TargetMode.Inference,
            Vae = Vae.Vae with { RuleToDecoder = false, FreeBits = 0.5 },
        },
        TangentKernel: new TangentKernelConfig
        {
            Preset = ExperimentPreset.SmallName, Task = "math", Seeds = Seeds, Size = 1000,
            EncoderSteps = 60, Steps = 200, Recipe = Recipe,
            PerRule = 8, Permutations = 1000, Output = KernelOutput.MeanJacobian,
            Vae = new VaeConfig { LatentSize = 16, RuleWeight = 1 },
            Device = "auto", Workers = 0, Weights = new PretrainedWeights(),
        },
        SampleSweep: Vae);
}

using LatentRules.Analysis.ParameterSpace;
using LatentRules.Models.Bert;
using LatentRules.Models.Qwen2;
using LatentRules.Models.Vae;
using LatentRules.Training;

namespace LatentRules.Experiments;

/// <summary>
/// The paper preset: the study's scale, a GPU job. 4,000 examples per task, latent 32, beta 1, lambda 1, 875 stage-2
/// steps (10 epochs over 2,800 training examples at batch 32), the sweep's n from 250 to 8,000 with 2,500 steps each
/// (10 epochs of the largest n); the encoder starts from bert-base-cased and the decoder from Qwen2.5-0.5B, read from
/// the weights folder (<c>lab download</c>). A side set to none stays random at its paper shape.
/// </summary>
public static class PaperPreset
{
    // The one training recipe at this scale.
    private static readonly TrainingRecipe Recipe = new()
    {
        LearningRate = 2e-3, WarmupFraction = 0.1, Beta = 1, BetaWarmupFraction = 0.5, BatchSize = 32,
    };

    private static readonly IReadOnlyList<int> Seeds = new[] { 1, 2, 3, 4, 5, 6, 7, 8 };

    // bert-base-cased's and Qwen2.5-0.5B's shapes
    private static readonly VaeConfig Model = new()
    {
        LatentSize = 32, RuleWeight = 1, RuleToDecoder = true, Injection = Injection.Query, FreeBits = 0,
        Encoder = BertConfig.BertBaseCased, Decoder = new Qwen2Config(),
    };

    /// <summary>The preset, with the pretrained folders under <paramref name="weightsRoot"/>.</summary>
    public static ExperimentPreset Preset(string weightsRoot)
    {
        var weights = PretrainedWeights.Paper(weightsRoot);
        var vae = new ExperimentConfig
        {
            Preset = ExperimentPreset.PaperName, Task = "math", Seeds = Seeds,
            Size = 4000, ValidFraction = 0.2, TestFraction = 0.1,
            Mode = TargetMode.Autoencoding, EncoderReadsConclusion = true, EncoderReadsRuleText = false,
            EncoderSteps = 100, Steps = 875, Recipe = Recipe, Vae = Model,
            Injections = new[] { Injection.Memory, Injection.KeyValue, Injection.Query },
            RuleWeights = null,
            SampleSizes = new[] { 250, 500, 1000, 2000, 4000, 8000 }, SweepSteps = 2500,
            Device = "auto", Workers = 0, ScoreLimit = 400, Weights = weights,
        };
        return new ExperimentPreset(
            Name: ExperimentPreset.PaperName,
            RuleClusters: vae,
            // as the small preset: inference mode, no label to the decoder, free bits 0.5
            Injection: vae with
            {
                Mode = TargetMode.Inference,
                Vae = Model with { RuleToDecoder = false, FreeBits = 0.5 },
            },
            TangentKernel: new TangentKernelConfig
            {
                Preset = ExperimentPreset.PaperName, Task = "math", Seeds = Seeds, Size = 4000,
                EncoderSteps = 100, Steps = 875, Recipe = Recipe,
                PerRule = 8, Permutations = 1000, Output = KernelOutput.MeanJacobian,
                Vae = Model with { RuleToDecoder = false },
                Device = "auto", Workers = 0, Weights = weights,
            },
            SampleSweep: vae);
    }
}

namespace LatentRules.Experiments;

/// <summary>
/// Every experiment's settings at one scale, written out in full in one file per preset: SmallPreset.cs (minutes on a
/// laptop CPU) and PaperPreset.cs (the study's scale, a GPU job). <c>lab experiment --preset</c>, notebooks 02-04 and
/// the tests start from these records and change only what a user asks for; a report's <c>definition</c> holds the
/// settings a run used.
/// </summary>
public sealed record ExperimentPreset(
    string Name,                         // "small" or "paper"
    ExperimentConfig RuleClusters,       // finding 1
    ExperimentConfig Injection,          // finding 2
    TangentKernelConfig TangentKernel,   // finding 3
    ExperimentConfig SampleSweep)        // finding 4
{
    public const string SmallName = Notebooks.Preset.Small, PaperName = Notebooks.Preset.Paper;

    /// <summary>
    /// The preset of that name; the paper preset reads pretrained weights under <paramref name="weightsRoot"/> (as
    /// <c>lab download</c> puts them). Anything else is an error naming <paramref name="parameter"/>.
    /// </summary>
    public static ExperimentPreset Named(string? name, string weightsRoot = "data/downloads",
        string parameter = "--preset") =>
        Notebooks.Preset.IsPaper(name, parameter) ? PaperPreset.Preset(weightsRoot) : SmallPreset.Preset;

    /// <summary>The VAE experiment of that name's settings ("rule-clusters", "injection" or "sample-sweep").</summary>
    public ExperimentConfig Vae(string experiment) => experiment switch
    {
        RuleClustersExperiment.Name => RuleClusters,
        InjectionExperiment.Name => Injection,
        SampleSweepExperiment.Name => SampleSweep,
        _ => throw new ArgumentException($"no VAE experiment named '{experiment}'"),
    };
}

using LatentRules.Plots;
using LatentRules.Tables;
using Microsoft.Data.Analysis;

namespace LatentRules.Experiments;

/// <summary>One parameter group of one encoder on one seed's sample.</summary>
public sealed record GroupMeasure(
    string Group,         // "ffn", "attention", "ffn.layer0", ...
    long Parameters,      // parameters in the group
    double Within,        // mean cosine of same-rule gradient pairs
    double Across,        // mean cosine of different-rule pairs
    double Gap,           // Within - Across
    double NullMean,      // mean gap under label permutations
    double PValue);       // permutation p-value of Gap (one-sided: larger than chance)

/// <summary>Both encoders' groups on one seed.</summary>
public sealed record SeedMeasure(
    int Seed,                              // data, initialisation, training and sample seed
    string Encoder,                        // "trained" or "untrained" (the same initialisation before training)
    int Examples,                          // kernel sample size (rules x per-rule)
    double FfnMinusAttention,              // gap of "ffn" minus gap of "attention": the finding's number
    IReadOnlyList<GroupMeasure> Groups);   // every FFN and attention group, all layers and per layer

/// <summary>One encoder (trained or untrained) over all seeds.</summary>
public sealed record EncoderSummary(
    string Encoder,                  // "trained" or "untrained"
    SeedInterval FfnMinusAttention,  // mean, sd and 95% t-interval over seeds
    double FfnGap,                   // mean FFN gap over seeds
    double AttentionGap,             // mean attention gap over seeds
    double FfnPValue,                // permutation p of the mean FFN gap over seeds (labels permuted within each seed)
    double AttentionPValue);         // the same for attention

/// <summary>
/// What <see cref="TangentKernelExperiment"/> measured: the configuration, per-seed numbers of the trained and untrained
/// encoders, the summaries over seeds, and the verdict with the rule that gave it. Written as JSON (snake_case names).
/// </summary>
public sealed record TangentKernelReport(
    string Experiment,                    // "tangent-kernel"
    string LibraryVersion,                // LatentRules assembly informational version
    TangentKernelConfig Config,           // everything the run depended on
    IReadOnlyList<string> Rules,          // the task's rule names (label order)
    IReadOnlyList<SeedMeasure> Seeds,     // per seed, trained then untrained
    EncoderSummary Trained,               // over seeds
    EncoderSummary Untrained,             // the control: the same architecture and initialisation, no training
    string Interval,                      // how the intervals are made
    string Verdict,                       // "holds", "does not hold" or "inconclusive"
    string VerdictRule,                   // the rule, in words
    double Seconds)                       // wall-clock time of the run
{
    public const string IntervalMethod = "95% Student-t interval over seeds: mean +- t(0.975, seeds - 1) * sd / sqrt(seeds)";

    public const string Rule =
        "holds when the trained encoder's 95% interval of (FFN gap - attention gap) is above 0 and above the untrained encoder's " +
        "interval (trained low > untrained high), and the FFN gap's permutation p-value (mean over seeds) is below 0.05; " +
        "does not hold when the trained interval's upper end is at or below 0; otherwise inconclusive (also with one seed: no interval).";

    /// <summary>The verdict from the two summaries, by <see cref="Rule"/>.</summary>
    public static string Decide(EncoderSummary trained, EncoderSummary untrained)
    {
        var (t, u) = (trained.FfnMinusAttention, untrained.FfnMinusAttention);
        if (t.Seeds < 2) return "inconclusive";
        if (t.High <= 0) return "does not hold";
        return t.Low > 0 && t.Low > u.High && trained.FfnPValue < 0.05 ? "holds" : "inconclusive";
    }

    /// <summary>Writes the report as JSON, atomically (a temporary file renamed over the target).</summary>
    public void Write(string path) => ExperimentFiles.Write(path, this);

    public static TangentKernelReport Read(string path) => ExperimentFiles.Read<TangentKernelReport>(path, "tangent-kernel report");

    /// <summary>One row per seed, encoder and group: the raw numbers.</summary>
    public DataFrame SeedTable() => Frames.FromRecords(Seeds.SelectMany(s => s.Groups.Select(g => new
    {
        seed = s.Seed, encoder = s.Encoder, group = g.Group, parameters = g.Parameters, within = Round(g.Within), across = Round(g.Across),
        gap = Round(g.Gap), null_mean = Round(g.NullMean), p = Round(g.PValue),
    })));

    /// <summary>One row per seed and encoder: the finding's number.</summary>
    public DataFrame DifferenceTable() => Frames.FromRecords(Seeds.Select(s => new
    {
        seed = s.Seed, encoder = s.Encoder, ffn_gap = Round(s.Groups.First(g => g.Group == "ffn").Gap),
        attention_gap = Round(s.Groups.First(g => g.Group == "attention").Gap), ffn_minus_attention = Round(s.FfnMinusAttention),
    }));

    /// <summary>Trained and untrained over seeds.</summary>
    public DataFrame SummaryTable() => Frames.FromRecords(new[] { Trained, Untrained }.Select(e => new
    {
        encoder = e.Encoder, seeds = e.FfnMinusAttention.Seeds, ffn_minus_attention_mean = Round(e.FfnMinusAttention.Mean),
        sd = Round(e.FfnMinusAttention.Sd), ci95_low = Round(e.FfnMinusAttention.Low), ci95_high = Round(e.FfnMinusAttention.High),
        ffn_gap = Round(e.FfnGap), attention_gap = Round(e.AttentionGap), ffn_p = Round(e.FfnPValue), attention_p = Round(e.AttentionPValue),
    }));

    /// <summary>FFN gap - attention gap of the trained encoder and its untrained control: mean over seeds and 95% interval.</summary>
    public Figure Chart() => Charts.BarWithIntervals(new[] { "trained", "untrained (control)" },
            new Dictionary<string, IReadOnlyList<(double, double, double)>>
            {
                ["FFN gap - attention gap"] = new[] { Trained, Untrained }.Select(e => e.FfnMinusAttention)
                    .Select(i => (i.Mean, i.Low, i.High)).ToList(),
            })
        .Title($"Tangent kernels, {Config.Task}: mean over {Config.Seeds.Count} seed(s), 95% t-interval").Axes(y: "within - across cosine, FFN minus attention");

    private static double Round(double x) => Math.Round(x, 4);
}

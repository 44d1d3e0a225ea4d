using System.Text.Json.Serialization;
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

/// <summary>
/// One encoder's all-layer FFN and attention kernels on one seed's sample, as cosine matrices: what the permutation
/// nulls pooled over seeds read (<see cref="TangentKernelExperiment.Conclude"/>), so that a resumed or combined run
/// concludes from saved numbers.
/// </summary>
public sealed record KernelCosines(
    IReadOnlyList<int> Labels,   // the sample's rule labels, in row order
    double[][] Ffn,              // the "ffn" group's cosine matrix (examples x examples)
    double[][] Attention)        // the "attention" group's
{
    /// <summary>The rows of a matrix.</summary>
    public static double[][] Rows(double[,] m) => Enumerable.Range(0, m.GetLength(0))
        .Select(i => Enumerable.Range(0, m.GetLength(1)).Select(j => m[i, j]).ToArray()).ToArray();

    /// <summary>The matrix of rows (all of one length).</summary>
    public static double[,] Matrix(double[][] rows)
    {
        var m = new double[rows.Length, rows.Length == 0 ? 0 : rows[0].Length];
        for (int i = 0; i < rows.Length; i++)
            for (int j = 0; j < m.GetLength(1); j++) m[i, j] = rows[i][j];
        return m;
    }
}

/// <summary>One encoder's groups on one seed.</summary>
public sealed record SeedMeasure(
    int Seed,                              // data, initialisation, training and sample seed
    string Encoder,                        // "trained" or "untrained" (the same initialisation before training)
    int Examples,                          // kernel sample size (rules x per-rule)
    double FfnMinusAttention,              // gap of "ffn" minus gap of "attention": the finding's number
    IReadOnlyList<GroupMeasure> Groups,    // every FFN and attention group, all layers and per layer
    KernelCosines? Cosines = null);        // the "ffn" and "attention" matrices (null: made by hand, no nulls)

/// <summary>One encoder (trained or untrained) over all seeds.</summary>
public sealed record EncoderSummary(
    string Encoder,                  // "trained" or "untrained"
    SeedInterval FfnMinusAttention,  // mean, sd and 95% t-interval over seeds
    double FfnGap,                   // mean FFN gap over seeds
    double AttentionGap,             // mean attention gap over seeds
    double FfnPValue,                // permutation p of the mean FFN gap over seeds (labels permuted within each seed)
    double AttentionPValue,          // the same for attention
    double DifferencePValue);        // the same for FFN gap - attention gap (both gaps under the same permutations)

/// <summary>What training changed, paired per seed: (FFN gap - attention gap) trained minus untrained.</summary>
public sealed record PairedEffect(
    SeedInterval TrainedMinusUntrained,   // mean, sd and 95% t-interval of the per-seed differences
    double SignFlipPValue);               // exact one-sided sign-flip test of those differences (SignFlipTest)

/// <summary>
/// What <see cref="TangentKernelExperiment"/> measured, in the shape every experiment's JSON has (definition, seeds,
/// primary, controls, verdict, verdict_rule, library_version; lib/LatentRules/Experiments/README.md), with the
/// per-encoder summaries beside it. Written as JSON (snake_case names).
/// </summary>
public sealed record TangentKernelReport(
    int Schema,                                             // the JSON shape's version
    string Experiment,                                      // "tangent-kernel"
    ExperimentDefinition<TangentKernelConfig> Definition,   // the finding's analysis and every setting
    IReadOnlyList<SeedMeasure> Seeds,                       // per seed, trained then untrained
    PrimaryResult Primary,                                  // trained - untrained of (FFN gap - attention gap), paired
    IReadOnlyList<PrimaryResult> Controls,                  // the untrained encoder's FFN gap - attention gap
    Outcome Verdict,                                        // holds, does not hold or inconclusive
    string VerdictRule,                                     // the rule, in words
    string Evidence,                                        // the numbers the rule read
    EncoderSummary Trained,                                 // over seeds
    EncoderSummary Untrained,                               // the same architecture and initialisation, no training
    PairedEffect Paired,                                    // trained - untrained per seed, with the sign-flip test
    IReadOnlyList<string> Rules,                            // the task's rule names (label order)
    string Interval,                                        // how the intervals are made
    string LibraryVersion,                                  // LatentRules assembly informational version
    double Seconds)                                         // wall-clock time of the run
{
    /// <summary>The settings the run used.</summary>
    [JsonIgnore] public TangentKernelConfig Config => Definition.Settings;

    /// <summary>The report of the per-seed measures and the summaries over seeds.</summary>
    public static TangentKernelReport Conclude(TangentKernelConfig config, IReadOnlyList<string> rules,
        IReadOnlyList<SeedMeasure> seeds, EncoderSummary trained, EncoderSummary untrained, double seconds)
    {
        var paired = Pair(seeds);
        int run = seeds.Select(s => s.Seed).Distinct().Count();
        string evidence = $"trained - untrained {ExperimentReport.Show(paired.TrainedMinusUntrained)}, sign-flip p " +
                          $"{paired.SignFlipPValue:F3}; trained FFN - attention permutation p " +
                          $"{trained.DifferencePValue:F3}; untrained " +
                          ExperimentReport.Show(untrained.FfnMinusAttention);
        var definition = TangentKernelExperiment.Definition;
        return new TangentKernelReport(ExperimentReport.CurrentSchema, definition.Experiment,
            new ExperimentDefinition<TangentKernelConfig>(definition, config), seeds,
            PrimaryResult.Of(definition.PrimaryArm, definition.PrimaryMetric, paired.TrainedMinusUntrained, run),
            new[] { PrimaryResult.Of("untrained", definition.PrimaryMetric, untrained.FfnMinusAttention, run) },
            Decide(paired, trained), Rule, evidence, trained, untrained, paired, rules, IntervalMethod,
            ExperimentReport.LibraryVersionText, seconds);
    }

    public const string IntervalMethod =
        "95% Student-t interval over seeds: mean +- t(0.975, seeds - 1) * sd / sqrt(seeds); " +
        "the paired effect is taken per seed first";

    public const string Rule =
        "with d = per-seed (FFN gap - attention gap) of the trained encoder minus that of the untrained one (same " +
        "seed and initialisation): holds when d's 95% interval is above 0, the exact sign-flip test of d gives p < " +
        "0.05, and the trained encoder's FFN - attention difference is beyond its label-permutation null (p < 0.05); " +
        "does not hold when d's interval is at or below 0 (training did not make FFN separate rules more than " +
        "attention); otherwise inconclusive (also with one seed: no interval)";

    /// <summary>The verdict by <see cref="Rule"/>.</summary>
    public static Outcome Decide(PairedEffect paired, EncoderSummary trained)
    {
        var d = paired.TrainedMinusUntrained;
        if (d.Seeds < 2) return Outcome.Inconclusive;
        if (d.High <= 0) return Outcome.DoesNotHold;
        return d.Low > 0 && paired.SignFlipPValue < 0.05 && trained.DifferencePValue < 0.05
            ? Outcome.Holds : Outcome.Inconclusive;
    }

    /// <summary>The paired effect of training from the per-seed measures of both encoders.</summary>
    public static PairedEffect Pair(IReadOnlyList<SeedMeasure> seeds)
    {
        var d = seeds.Where(s => s.Encoder == "trained")
            .Join(seeds.Where(s => s.Encoder == "untrained"), s => s.Seed, s => s.Seed,
                (t, u) => t.FfnMinusAttention - u.FfnMinusAttention).ToList();
        return new PairedEffect(SeedInterval.Of(d), SignFlipTest.PValue(d));
    }

    /// <summary>Writes the report as JSON, atomically (a temporary file renamed over the target).</summary>
    public void Write(string path) => ExperimentFiles.Write(path, this);

    public static TangentKernelReport Read(string path) =>
        ExperimentFiles.Read<TangentKernelReport>(path, "tangent-kernel report");

    /// <summary>One row per seed, encoder and group: the raw numbers.</summary>
    public DataFrame SeedTable() => Frames.FromRecords(Seeds.SelectMany(s => s.Groups.Select(g => new
    {
        seed = s.Seed, encoder = s.Encoder, group = g.Group, parameters = g.Parameters, within = Round(g.Within),
        across = Round(g.Across), gap = Round(g.Gap), null_mean = Round(g.NullMean), p = Round(g.PValue),
    })));

    /// <summary>One row per seed and encoder: the finding's number.</summary>
    public DataFrame DifferenceTable() => Frames.FromRecords(Seeds.Select(s => new
    {
        seed = s.Seed, encoder = s.Encoder, ffn_gap = Round(s.Groups.First(g => g.Group == "ffn").Gap),
        attention_gap = Round(s.Groups.First(g => g.Group == "attention").Gap),
        ffn_minus_attention = Round(s.FfnMinusAttention),
    }));

    /// <summary>Trained, untrained and their paired difference over seeds.</summary>
    public DataFrame SummaryTable() => Frames.FromRecords(new[]
    {
        Row(Trained.Encoder, Trained.FfnMinusAttention, Trained, null),
        Row(Untrained.Encoder, Untrained.FfnMinusAttention, Untrained, null),
        Row("trained - untrained (paired)", Paired.TrainedMinusUntrained, null, Paired.SignFlipPValue),
    });

    // One row of the summary table (a named type: the table reads its properties).
    private sealed record SummaryRow(string what, int seeds, double ffn_minus_attention_mean, double sd,
        double ci95_low, double ci95_high, double ffn_gap, double attention_gap, double ffn_p,
        double ffn_minus_attention_p, double sign_flip_p);

    private static SummaryRow Row(string what, SeedInterval i, EncoderSummary? e, double? signFlip) => new(
        what, i.Seeds, Round(i.Mean), Round(i.Sd), Round(i.Low), Round(i.High),
        e is null ? double.NaN : Round(e.FfnGap), e is null ? double.NaN : Round(e.AttentionGap),
        e is null ? double.NaN : Round(e.FfnPValue), e is null ? double.NaN : Round(e.DifferencePValue),
        signFlip is double p ? Round(p) : double.NaN);

    /// <summary>
    /// FFN gap - attention gap of the trained encoder and its untrained control: mean over seeds and 95% interval.
    /// </summary>
    public Figure Chart() =>
        Charts.BarWithIntervals(new[] { "trained", "untrained (control)", "trained - untrained (paired)" },
            new Dictionary<string, IReadOnlyList<(double, double, double)>>
            {
                ["FFN gap - attention gap"] = new[] { Trained.FfnMinusAttention, Untrained.FfnMinusAttention,
                    Paired.TrainedMinusUntrained }.Select(i => (i.Mean, i.Low, i.High)).ToList(),
            })
        .Title($"Tangent kernels, {Config.Task}: mean over {Config.Seeds.Count} seed(s), 95% t-interval")
        .Axes(y: "within - across cosine, FFN minus attention");

    private static double Round(double x) => Math.Round(x, 4);
}

using System.Reflection;
using System.Text.Json.Serialization;
using LatentRules.Plots;
using LatentRules.Tables;
using Microsoft.Data.Analysis;

namespace LatentRules.Experiments;

/// <summary>
/// The raw numbers of one training run: one seed, one arm (e.g. "supervised", "unsupervised", "Query", "n=500").
/// </summary>
public sealed record RunMeasure(
    int Seed,                                      // data, initialisation and training seed
    string Arm,                                    // what was varied
    IReadOnlyDictionary<string, double> Values);   // metric name -> value

/// <summary>One metric of one arm over the seeds.</summary>
public sealed record MetricSummary(
    string Arm,               // the arm, or "A - B" for a per-seed paired difference
    string Metric,            // the metric
    SeedInterval Interval,    // mean, sd, 95% t-interval over the seeds whose value is finite (Interval.Seeds of them)
    int SeedsRun);            // seeds that measured it; SeedsRun - Interval.Seeds gave NaN or infinity

/// <summary>A claim and what the runs say about it.</summary>
public sealed record FindingVerdict(
    string Claim,       // the study's claim in words
    Outcome Verdict,    // holds, does not hold or inconclusive
    string Rule,        // how the verdict follows from the numbers, fixed before the run
    string Evidence);   // the numbers the rule looked at

/// <summary>
/// What a VAE experiment (rule-clusters, injection, sample-sweep) measured, in the one shape every experiment's JSON
/// has (lib/LatentRules/Experiments/README.md, "JSON"): the definition it followed (the finding's analysis and every
/// setting), per-seed raw numbers of every arm (the controls are arms too), the primary number and the controls over
/// seeds, the verdict with its rule, and all summaries. Written with snake_case names.
/// </summary>
public sealed record ExperimentReport(
    int Schema,                                               // the JSON shape's version (Schema below)
    string Experiment,                                        // "rule-clusters", "injection" or "sample-sweep"
    ExperimentDefinition<ExperimentConfig> Definition,        // the finding's analysis and every setting
    [property: JsonPropertyName("seeds")] IReadOnlyList<RunMeasure> Runs,   // per seed and arm
    PrimaryResult Primary,                                    // the number that decides, over seeds
    IReadOnlyList<PrimaryResult> Controls,                    // the controls' numbers, over seeds
    Outcome Verdict,                                          // the primary finding's verdict
    string VerdictRule,                                       // the rule that gave it
    string Evidence,                                          // the numbers the rule read
    IReadOnlyList<FindingVerdict> Findings,                   // every verdict (the primary first)
    IReadOnlyList<MetricSummary> Summaries,                   // per arm and metric, and paired differences
    IReadOnlyList<string> Rules,                              // the task's rule names (label order)
    string Interval,                                          // how the intervals are made
    string LibraryVersion,                                    // LatentRules assembly informational version
    double Seconds)                                           // wall-clock time of the run
{
    /// <summary>The version of the JSON shape every experiment writes.</summary>
    public const int CurrentSchema = 2;

    /// <summary>The settings the run used.</summary>
    [JsonIgnore] public ExperimentConfig Config => Definition.Settings;

    /// <summary>
    /// The report of finished runs: summaries, the primary number and the controls as <paramref name="definition"/>
    /// names them, and the verdicts <paramref name="decide"/> reads from the summaries (the primary finding first).
    /// </summary>
    public static ExperimentReport Conclude(FindingDefinition definition, ExperimentConfig config,
        IReadOnlyList<string> rules, IReadOnlyList<RunMeasure> runs, IReadOnlyList<MetricSummary> summaries,
        Func<ExperimentReport, IReadOnlyList<FindingVerdict>> decide, double seconds)
    {
        PrimaryResult Result(string arm) => summaries.FirstOrDefault(s => s.Arm == arm && s.Metric ==
            definition.PrimaryMetric) is { } s ? PrimaryResult.Of(s)
            : new PrimaryResult(arm, definition.PrimaryMetric, double.NaN, double.NaN, double.NaN, 0,
                runs.Select(r => r.Seed).Distinct().Count());
        var report = new ExperimentReport(CurrentSchema, definition.Experiment,
            new ExperimentDefinition<ExperimentConfig>(definition, config), runs, Result(definition.PrimaryArm),
            definition.Controls.Select(Result).ToList(), Outcome.Inconclusive, definition.VerdictRule, "",
            Array.Empty<FindingVerdict>(), summaries, rules, IntervalMethod, LibraryVersionText, seconds);
        var findings = decide(report);
        return report with
        {
            Findings = findings,
            Verdict = findings[0].Verdict,
            VerdictRule = findings[0].Rule,
            Evidence = findings[0].Evidence,
        };
    }

    /// <summary>The summary of one arm's metric; a clear error when the report has none.</summary>
    public SeedInterval this[string arm, string metric] =>
        Summaries.FirstOrDefault(s => s.Arm == arm && s.Metric == metric)?.Interval
        ?? throw new KeyNotFoundException($"{Experiment}: no summary of '{metric}' for '{arm}'");

    /// <summary>Per-seed numbers: one row per seed and arm, one column per metric.</summary>
    public DataFrame RunTable()
    {
        var metrics = Runs.SelectMany(r => r.Values.Keys).Distinct().ToList();
        return Frames.FromRows(new[] { "seed", "arm" }.Concat(metrics).ToList(), Runs.Select(r =>
            new object?[] { r.Seed, r.Arm }.Concat(metrics.Select(m =>
                (object?)(r.Values.TryGetValue(m, out var v) ? Math.Round(v, 4) : null))).ToArray()).ToList());
    }

    /// <summary>Over seeds: one row per arm and metric with mean, sd and the interval.</summary>
    public DataFrame SummaryTable(Func<MetricSummary, bool>? only = null) =>
        Frames.FromRecords(Summaries.Where(only ?? (_ => true)).Select(s => new
        {
            arm = s.Arm, metric = s.Metric, seeds = $"{s.Interval.Seeds} of {s.SeedsRun}",
            mean = Math.Round(s.Interval.Mean, 4), sd = Math.Round(s.Interval.Sd, 4),
            low = Math.Round(s.Interval.Low, 4), high = Math.Round(s.Interval.High, 4),
        }));

    /// <summary>The verdicts with their evidence and rules.</summary>
    public DataFrame FindingTable() => Frames.FromRecords(Findings.Select(f =>
        new { claim = f.Claim, verdict = f.Verdict.Text(), evidence = f.Evidence, rule = f.Rule }));

    /// <summary>
    /// The means over seeds with their 95% intervals as bars: one group per arm (all arms in run order unless given),
    /// one bar per metric (none where the arm has no finite value of it, e.g. a ceiling the task cannot compute).
    /// </summary>
    public Figure Chart(IReadOnlyList<string> metrics, IReadOnlyList<string>? arms = null)
    {
        arms ??= Runs.Select(r => r.Arm).Distinct().ToList();
        return Charts.BarWithIntervals(arms,
            metrics.ToDictionary(m => m, m => (IReadOnlyList<(double, double, double)>)arms
            .Select(a => Summaries.FirstOrDefault(s => s.Arm == a && s.Metric == m)?.Interval)
            .Select(i => i is null ? (double.NaN, double.NaN, double.NaN) : (i.Mean, i.Low, i.High)).ToList()))
            .Title($"{Experiment}: mean over {Config.Seeds.Count} seed(s), 95% t-interval")
            .Axes(y: string.Join(", ", metrics));
    }

    /// <summary>
    /// Summaries of every metric of every arm, and the paired differences named in <paramref name="pairs"/> ("A - B").
    /// </summary>
    public static List<MetricSummary> Summarise(IReadOnlyList<RunMeasure> runs,
        IEnumerable<(string a, string b, string metric)> pairs)
    {
        var result = new List<MetricSummary>();
        foreach (var arm in runs.Select(r => r.Arm).Distinct())
            foreach (var metric in runs.Where(r => r.Arm == arm).SelectMany(r => r.Values.Keys).Distinct())
            {
                var all = runs.Where(r => r.Arm == arm && r.Values.ContainsKey(metric))
                    .Select(r => r.Values[metric]).ToList();
                var values = all.Where(double.IsFinite).ToList();
                if (values.Count > 0) result.Add(new MetricSummary(arm, metric, SeedInterval.Of(values), all.Count));
            }
        foreach (var (a, b, metric) in pairs)
        {
            var all = runs.Where(r => r.Arm == a).Join(runs.Where(r => r.Arm == b), r => r.Seed, r => r.Seed,
                (x, y) => x.Values[metric] - y.Values[metric]).ToList();
            var diffs = all.Where(double.IsFinite).ToList();
            if (diffs.Count > 0) result.Add(new MetricSummary($"{a} - {b}", metric, SeedInterval.Of(diffs), all.Count));
        }
        return result;
    }

    /// <summary>"0.812 [0.74, 0.88]": a mean with its interval, for evidence strings.</summary>
    public static string Show(SeedInterval i) =>
        i.Seeds < 2 ? $"{i.Mean:F3} (one seed, no interval)" : $"{i.Mean:F3} [{i.Low:F3}, {i.High:F3}]";

    public const string IntervalMethod =
        "95% Student-t interval over seeds: mean +- t(0.975, seeds - 1) * sd / sqrt(seeds); " +
        "paired differences (\"A - B\") are taken per seed first";

    /// <summary>Writes the report as JSON, atomically (a temporary file renamed over the target).</summary>
    public void Write(string path) => ExperimentFiles.Write(path, this);

    public static ExperimentReport Read(string path) =>
        ExperimentFiles.Read<ExperimentReport>(path, "experiment report");

    /// <summary>The library's informational version (what the JSON records).</summary>
    public static string LibraryVersionText =>
        typeof(ExperimentReport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()
            ?.InformationalVersion ?? "unknown";
}

namespace LatentRules.Experiments;

/// <summary>
/// A finding's primary analysis, fixed before any run: the claim, the one number that decides it (an arm's metric,
/// or a per-seed difference "A - B"), the control arms it is read against, and the verdict rule with its margin. Each
/// experiment has one (<c>RuleClustersExperiment.Definition</c>, ...); a report carries it with the settings used.
/// </summary>
public sealed record FindingDefinition(
    string Experiment,                 // "rule-clusters", "injection", "tangent-kernel" or "sample-sweep"
    string Claim,                      // the study's claim in words
    string PrimaryArm,                 // the arm (or "A - B", per seed) whose metric decides
    string PrimaryMetric,              // the metric that decides
    IReadOnlyList<string> Controls,    // the arms (or differences) that could show "no effect"
    string VerdictRule,                // how the verdict follows from the numbers
    double? Margin);                   // for a claim of absence: a difference smaller than this counts as none

/// <summary>What the runs said about the primary number, or about one control: an interval over seeds.</summary>
public sealed record PrimaryResult(
    string Arm,       // arm or "A - B"
    string Metric,    // metric
    double Mean,      // mean over the seeds used
    double Low,       // 95% t-interval, low end (NaN with one seed)
    double High,      // high end
    int SeedsUsed,    // seeds whose value was finite
    int SeedsRun)     // seeds that measured it
{
    /// <summary>The result of one summary.</summary>
    public static PrimaryResult Of(MetricSummary s) =>
        new(s.Arm, s.Metric, s.Interval.Mean, s.Interval.Low, s.Interval.High, s.Interval.Seeds, s.SeedsRun);

    /// <summary>A result from a per-seed interval.</summary>
    public static PrimaryResult Of(string arm, string metric, SeedInterval i, int seedsRun) =>
        new(arm, metric, i.Mean, i.Low, i.High, i.Seeds, seedsRun);
}

/// <summary>The definition a report followed: the finding's analysis and the settings of the run.</summary>
public sealed record ExperimentDefinition<TSettings>(
    FindingDefinition Finding,   // the primary analysis
    TSettings Settings);         // every setting, starting from a preset

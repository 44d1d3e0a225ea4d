using System.Diagnostics;
using LatentRules.Data;
using LatentRules.Data.Mathematics;

namespace LatentRules.Experiments;

/// <summary>
/// Finding 1 (with rule supervision, rules form distinct clusters in z), measured so it can be trusted. Per seed, the
/// same data and initialisation train two models: "supervised" (the study's two stages, lambda, the label to the decoder
/// as configured) and "unsupervised" (the control: lambda 0, no stage 1, no label). Each is scored on train, on the
/// in-distribution split (valid: the generator's own distribution) and on the held-out split (test: unseen groups):
/// linear-probe accuracy (probe trained on the training means), silhouette, k-means ARI. The verdict is based on the
/// in-distribution split; generalisation to held-out groups is its own result.
/// </summary>
public static class RuleClustersExperiment
{
    public const string Name = "rule-clusters";
    public const string Claim = "with rule supervision, rules form distinct clusters in z (in-distribution)";
    public const string GeneralisationClaim = "the rule stays readable from z on held-out groups (generalisation)";

    public const string Rule =
        "holds when the per-seed difference supervised - unsupervised of the in-distribution silhouette has a 95% interval " +
        "above 0 and the supervised in-distribution probe's interval is above chance; does not hold when that difference's " +
        "interval is at or below 0 or the supervised probe's interval is at or below chance; otherwise inconclusive (also with one seed)";

    public const string GeneralisationRule =
        "holds when the supervised held-out probe's 95% interval is above chance; does not hold when it is at or below chance; " +
        "otherwise inconclusive. Read it beside the ceiling: the share a perfect reader could get when some inputs cannot show the rule";

    /// <summary>Defaults: the study's encoder input and two stages at CPU size.</summary>
    public static ExperimentConfig Defaults => new();

    public static ExperimentReport Run(ExperimentConfig config, TextWriter? log = null)
    {
        config.Validate();
        var clock = Stopwatch.StartNew();
        var prepared = config.Seeds.Select(seed => (seed, experiment: VaeRuns.Prepare(config, seed))).ToList();   // bad sizes refused before training
        var runs = new List<RunMeasure>();
        double chance = 1.0 / prepared[0].experiment.Rules.Count;
        foreach (var (seed, experiment) in prepared)
        {
            double ceiling = Ceiling(experiment.Data.Test, experiment.Rules);   // the verifier on every test item: once per seed
            foreach (bool supervised in new[] { true, false })
            {
                using var vae = VaeRuns.Train(experiment, config, seed, supervised);
                var values = new Dictionary<string, double> { ["chance"] = chance, ["ceiling_test"] = ceiling };
                foreach (var (split, scores) in LatentScores.BySplit(experiment, vae, seed))
                {
                    values[$"probe_{split}"] = scores.ProbeAccuracy;
                    values[$"silhouette_{split}"] = scores.Silhouette;
                    values[$"ari_{split}"] = scores.KMeansAri;
                }
                runs.Add(new RunMeasure(seed, supervised ? "supervised" : "unsupervised", values));
                log?.WriteLine($"seed {seed}, {(supervised ? "supervised" : "unsupervised")}: probe valid {values["probe_valid"]:F3}, " +
                               $"silhouette valid {values["silhouette_valid"]:F3} ({clock.Elapsed.TotalSeconds:F0} s)");
            }
        }
        var summaries = ExperimentReport.Summarise(runs, new[]
        {
            ("supervised", "unsupervised", "silhouette_valid"), ("supervised", "unsupervised", "probe_valid"),
            ("supervised", "unsupervised", "probe_test"),
        });
        var report = new ExperimentReport(Name, ExperimentReport.LibraryVersionText, config, prepared[0].experiment.Rules, runs, summaries,
            new List<FindingVerdict>(), ExperimentReport.IntervalMethod, clock.Elapsed.TotalSeconds);
        return report with { Findings = new[] { Decide(report, chance), DecideGeneralisation(report, chance) } };
    }

    /// <summary>Finding 1 on the in-distribution split, by <see cref="Rule"/>.</summary>
    public static FindingVerdict Decide(ExperimentReport report, double chance)
    {
        var gap = report["supervised - unsupervised", "silhouette_valid"];
        var probe = report["supervised", "probe_valid"];
        string evidence = $"silhouette supervised - unsupervised {ExperimentReport.Show(gap)}; supervised probe {ExperimentReport.Show(probe)} " +
                          $"vs chance {chance:F3}; unsupervised probe {ExperimentReport.Show(report["unsupervised", "probe_valid"])}";
        string verdict = gap.Seeds < 2 ? "inconclusive"
            : gap.High <= 0 || probe.High <= chance ? "does not hold"
            : gap.Low > 0 && probe.Low > chance ? "holds" : "inconclusive";
        return new FindingVerdict(Claim, verdict, Rule, evidence);
    }

    /// <summary>Generalisation to held-out groups, by <see cref="GeneralisationRule"/>.</summary>
    public static FindingVerdict DecideGeneralisation(ExperimentReport report, double chance)
    {
        if (!report.Summaries.Any(s => s.Arm == "supervised" && s.Metric == "probe_test"))
            return new FindingVerdict(GeneralisationClaim, "inconclusive", GeneralisationRule, "no held-out split (--test-fraction 0)");
        var probe = report["supervised", "probe_test"];
        var ceiling = report.Summaries.FirstOrDefault(s => s.Arm == "supervised" && s.Metric == "ceiling_test")?.Interval.Mean;
        string evidence = $"supervised held-out probe {ExperimentReport.Show(probe)} vs chance {chance:F3}" +
                          (ceiling is double c ? $", ceiling {c:F3}" : "") + $"; unsupervised {ExperimentReport.Show(report["unsupervised", "probe_test"])}";
        string verdict = probe.Seeds < 2 ? "inconclusive" : probe.Low > chance ? "holds" : probe.High <= chance ? "does not hold" : "inconclusive";
        return new FindingVerdict(GeneralisationClaim, verdict, GeneralisationRule, evidence);
    }

    /// <summary>
    /// The best rule accuracy any reader of the inputs could reach on a split (<see cref="RuleCeiling"/>: math items whose
    /// conclusion fits both rules, e.g. premise = conclusion = e^{x}, are a guess). NaN for an empty split and for tasks
    /// without such a check.
    /// </summary>
    public static double Ceiling(IReadOnlyList<ReasoningExample> split, IReadOnlyList<string> rules) =>
        split.Count > 0 && split[0].Task == "math" ? RuleCeiling.Of(split, rules) : double.NaN;
}

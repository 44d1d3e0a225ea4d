using System.Diagnostics;
using LatentRules.Data;
using LatentRules.Data.Mathematics;

namespace LatentRules.Experiments;

/// <summary>
/// Finding 1 (with rule supervision, rules form distinct clusters in z), measured so it can be trusted. Per seed and
/// rule weight lambda, the same data and initialisation train "supervised" (the study's two stages, the label to the
/// decoder as configured) and "shuffled" (the same lambda, stages and settings, trained on the training split's labels
/// in a seeded random order: the control that differs in one thing, whether the label belongs to the text); per seed
/// also "unsupervised" (lambda 0, no stage 1, no label: what z looks like without any label). Each is scored against
/// the true rules on train, on the in-distribution split (valid) and on the held-out split (test: unseen groups): probe
/// accuracy (trained on the training means), silhouette, k-means ARI. One verdict per lambda, on the in-distribution
/// split; generalisation to held-out groups is its own result.
/// </summary>
public static class RuleClustersExperiment
{
    public const string Name = "rule-clusters";
    public const string Claim = "with rule supervision, rules form distinct clusters in z (in-distribution)";
    public const string GeneralisationClaim = "the rule stays readable from z on held-out groups (generalisation)";

    public const string Rule =
        "holds when the per-seed difference supervised - shuffled of the in-distribution silhouette (true rules) " +
        "has a 95% interval above 0 and the supervised in-distribution probe's interval is above chance; " +
        "does not hold when that difference's interval is at or below 0 or the supervised probe's interval is at or " +
        "below chance; otherwise inconclusive (also with one seed)";

    public const string GeneralisationRule =
        "holds when the supervised held-out probe's 95% interval is above chance; does not hold when it is at or " +
        "below chance; otherwise inconclusive. Read it beside the ceiling: the share a perfect reader could get when " +
        "some inputs cannot show the rule";

    /// <summary>
    /// The primary analysis: supervised - shuffled of the in-distribution silhouette at the first lambda, read against
    /// the shuffled-label arm and the lambda-0 model.
    /// </summary>
    public static FindingDefinition Definition(ExperimentConfig config)
    {
        double lambda = config.RuleWeightsToRun[0];
        string supervised = Arm("supervised", lambda, config), shuffled = Arm("shuffled", lambda, config);
        return new FindingDefinition(Name, Claim, $"{supervised} - {shuffled}", "silhouette_valid",
            new[] { shuffled, "unsupervised" }, Rule, Margin: null);
    }

    /// <summary>
    /// The arm of a supervised ("supervised") or shuffled-label ("shuffled") model at one of the lambdas.
    /// </summary>
    public static string Arm(string kind, double lambda, ExperimentConfig config) =>
        config.RuleWeightsToRun.Count == 1 ? kind
            : $"{kind} lambda={lambda.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>
    /// Trains and measures every seed's arms and concludes. With <paramref name="parts"/> each (seed, arm) result is
    /// saved there as soon as it is measured and a saved one is loaded instead of trained (<see cref="RunParts"/>);
    /// a seed whose arms are all saved is not even generated.
    /// With more than one worker (<see cref="ExperimentConfig.Workers"/>, one per core by default) the seeds are
    /// trained in child processes first (<see cref="SeedWorkers"/>).
    /// </summary>
    public static ExperimentReport Run(ExperimentConfig config, TextWriter? log = null, string? parts = null)
    {
        config.Validate();
        return SeedWorkers.Spread(Name, config, parts, log, (folder, clock) => RunHere(config, log, folder, clock));
    }

    // The run in this process (its seeds trained one after another, or loaded from the parts the workers saved).
    private static ExperimentReport RunHere(ExperimentConfig config, TextWriter? log, string? parts, Stopwatch clock)
    {
        var store = RunParts.Open(parts, new ExperimentDefinition<ExperimentConfig>(Definition(config), config), log);
        var arms = config.RuleWeightsToRun.SelectMany(lambda => new[]
        {
            (arm: Arm("supervised", lambda, config), lambda, shuffled: false),
            (arm: Arm("shuffled", lambda, config), lambda, shuffled: true),
        }).Append((arm: "unsupervised", lambda: 0.0, shuffled: false)).ToList();
        var saved = config.Seeds.Select(seed => store.LoadSeed<RunMeasure>(seed, arms.Select(a => a.arm))).ToList();
        // bad sizes refused before training
        var prepared = VaeRuns.PrepareUnsaved(config, saved);
        var rules = prepared.FirstOrDefault(e => e is not null)?.Rules ?? saved[0][0]!.Rules;
        var runs = new List<RunMeasure>();
        double chance = 1.0 / rules.Count;
        for (int i = 0; i < config.Seeds.Count; i++)
        {
            int seed = config.Seeds[i];
            if (prepared[i] is not { } experiment)
            {
                runs.AddRange(saved[i].Select(p => p!.Value));
                continue;
            }
            // the verifier on every test item: once per seed
            double ceiling = Ceiling(experiment.Data.Test, experiment.Rules);
            for (int a = 0; a < arms.Count; a++)
            {
                var (arm, lambda, shuffled) = arms[a];
                if (saved[i][a] is { } part)
                {
                    runs.Add(part.Value);
                    continue;
                }
                var trainOn = shuffled ? experiment.WithShuffledRules(seed) : experiment;
                var armConfig =
                    config with { Vae = config.Vae with { RuleWeight = lambda > 0 ? lambda : config.Vae.RuleWeight } };
                using var vae = VaeRuns.Train(trainOn, armConfig, seed, supervised: lambda > 0);
                var values = new Dictionary<string, double> { ["chance"] = chance, ["ceiling_test"] = ceiling };
                foreach (var (split, scores) in LatentScores.BySplit(experiment, vae, seed))
                {
                    values[$"probe_{split}"] = scores.ProbeAccuracy;
                    values[$"silhouette_{split}"] = scores.Silhouette;
                    values[$"ari_{split}"] = scores.KMeansAri;
                }
                var measure = new RunMeasure(seed, arm, values);
                store.Save(seed, arm, rules, measure);
                runs.Add(measure);
                log?.WriteLine($"seed {seed}, {arm}: probe valid {values["probe_valid"]:F3}, " +
                               $"silhouette valid {values["silhouette_valid"]:F3} ({clock.Elapsed.TotalSeconds:F0} s)");
            }
        }
        return Conclude(config, rules, runs, clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// The report of finished runs (every seed's arms): summaries, paired differences and one verdict per lambda.
    /// </summary>
    public static ExperimentReport Conclude(ExperimentConfig config, IReadOnlyList<string> rules,
        IReadOnlyList<RunMeasure> runs, double seconds)
    {
        double chance = 1.0 / rules.Count;
        var pairs = config.RuleWeightsToRun.SelectMany(lambda =>
            new[] { "silhouette_valid", "probe_valid", "probe_test" }.SelectMany(metric => new[]
            {
                (Arm("supervised", lambda, config), Arm("shuffled", lambda, config), metric),
                (Arm("supervised", lambda, config), "unsupervised", metric),
            }));
        var summaries = ExperimentReport.Summarise(runs, pairs);
        IReadOnlyList<FindingVerdict> DecideAll(ExperimentReport report) => config.RuleWeightsToRun.SelectMany(
            lambda => new[]
            {
                Decide(report, chance, Arm("supervised", lambda, config), Arm("shuffled", lambda, config)),
                DecideGeneralisation(report, chance, Arm("supervised", lambda, config)),
            }).ToList();
        return ExperimentReport.Conclude(Definition(config), config, rules, runs, summaries, DecideAll, seconds);
    }

    /// <summary>Finding 1 on the in-distribution split for one lambda's arms, by <see cref="Rule"/>.</summary>
    public static FindingVerdict Decide(ExperimentReport report, double chance, string supervised = "supervised",
        string shuffled = "shuffled")
    {
        var gap = report[$"{supervised} - {shuffled}", "silhouette_valid"];
        var probe = report[supervised, "probe_valid"];
        string evidence = $"{supervised}: silhouette supervised - shuffled {ExperimentReport.Show(gap)}; " +
                          $"supervised probe {ExperimentReport.Show(probe)} vs chance {chance:F3}; shuffled probe " +
                          $"{ExperimentReport.Show(report[shuffled, "probe_valid"])}" +
                          (report.Summaries.Any(s => s.Arm == "unsupervised" && s.Metric == "probe_valid")
                              ? $"; lambda-0 probe {ExperimentReport.Show(report["unsupervised", "probe_valid"])}"
                              : "");
        var verdict = gap.Seeds < 2 ? Outcome.Inconclusive
            : gap.High <= 0 || probe.High <= chance ? Outcome.DoesNotHold
            : gap.Low > 0 && probe.Low > chance ? Outcome.Holds : Outcome.Inconclusive;
        return new FindingVerdict(Claim, verdict, Rule, evidence);
    }

    /// <summary>Generalisation to held-out groups, by <see cref="GeneralisationRule"/>.</summary>
    public static FindingVerdict DecideGeneralisation(ExperimentReport report, double chance,
        string supervised = "supervised")
    {
        if (!report.Summaries.Any(s => s.Arm == supervised && s.Metric == "probe_test"))
            return new FindingVerdict(GeneralisationClaim, Outcome.Inconclusive, GeneralisationRule,
                "no held-out split (--test-fraction 0)");
        var probe = report[supervised, "probe_test"];
        var ceiling =
            report.Summaries.FirstOrDefault(s => s.Arm == supervised && s.Metric == "ceiling_test")?.Interval.Mean;
        string evidence = $"{supervised} held-out probe {ExperimentReport.Show(probe)} vs chance {chance:F3}" +
                          (ceiling is double c ? $", ceiling {c:F3}" : "");
        var verdict = probe.Seeds < 2 ? Outcome.Inconclusive
            : probe.Low > chance ? Outcome.Holds : probe.High <= chance ? Outcome.DoesNotHold : Outcome.Inconclusive;
        return new FindingVerdict(GeneralisationClaim, verdict, GeneralisationRule, evidence);
    }

    /// <summary>
    /// The best rule accuracy any reader of the inputs could reach on a split (<see cref="RuleCeiling"/>: math items
    /// whose conclusion fits both rules, e.g. premise = conclusion = e^{x}, are a guess). NaN for an empty split and
    /// for tasks without such a check.
    /// </summary>
    public static double Ceiling(IReadOnlyList<ReasoningExample> split, IReadOnlyList<string> rules) =>
        split.Count > 0 && split[0].Task == "math" ? RuleCeiling.Of(split, rules) : double.NaN;
}

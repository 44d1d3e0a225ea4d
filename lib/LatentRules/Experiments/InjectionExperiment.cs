using System.Diagnostics;
using LatentRules.Models.Vae;

namespace LatentRules.Experiments;

/// <summary>
/// Finding 2 (Query injection works best). Per seed, one supervised model per injection mode from the same data and
/// seed, all starting stage 2 from one shared stage 1 (the encoder side does not depend on the mode); each is measured on the in-distribution split with signal at CPU scale (<see cref="VaeRuns.DecoderMeasures"/>):
/// teacher-forced token accuracy (the verdict's metric, fixed in advance), token loss, verified generations, and two
/// controls of whether the comparison means anything: z use (the loss with another example's z minus the loss with its
/// own: 0 when the decoder ignores z) and rule control (the loss with another rule's mean z minus with its own rule's);
/// on math also rule steering (<see cref="Evaluation.RuleSteering"/>: decoded with another rule's mean z, does the verifier
/// say the output follows that rule more often than the unsteered output does).
/// </summary>
public static class InjectionExperiment
{
    public const string Name = "injection";
    public const string Claim = "Query injection works best (in-distribution token accuracy)";
    public const string Metric = "token_accuracy";

    public const string Rule =
        "holds when Query's z use has a 95% interval above 0 (the decoder reads z through it) and, for every other mode, the " +
        "per-seed difference Query - mode of token accuracy has an interval above 0; does not hold when some difference's " +
        "interval is below 0 (another mode is better); otherwise inconclusive (also with one seed)";

    /// <summary>
    /// Defaults: the label is not given to the decoder (unlike the study's checkpoints), so the rule can reach the decoder
    /// only through z and the injection under test; everything else as <see cref="ExperimentConfig"/>.
    /// </summary>
    public static ExperimentConfig Defaults => new ExperimentConfig().WithRuleToDecoder(false);

    public static ExperimentReport Run(ExperimentConfig config, TextWriter? log = null)
    {
        config.Validate();
        if (!config.Injections.Contains(Injection.Query)) throw new ArgumentException("--injections must include Query (the claim is about it)");
        var clock = Stopwatch.StartNew();
        var prepared = config.Seeds.Select(seed => (seed, experiment: VaeRuns.Prepare(config, seed))).ToList();
        var runs = new List<RunMeasure>();
        foreach (var (seed, experiment) in prepared)
        {
            using var stage1 = VaeRuns.TrainEncoderStage(experiment, config, seed);     // one stage 1 per seed: the modes differ only in stage 2
            foreach (var mode in config.Injections)
            {
                using var vae = VaeRuns.Train(experiment, config, seed, supervised: true, injection: mode, encoderStage: stage1);
                var values = VaeRuns.DecoderMeasures(experiment, vae, config, seed);
                runs.Add(new RunMeasure(seed, mode.ToString(), values));
                log?.WriteLine($"seed {seed}, {mode}: token accuracy {values[Metric]:F3}, z use {values["z_use"]:F3}, verified {values["verified"]:F3}" +
                               (values.TryGetValue("rule_steering", out var steering) ? $", rule steering {steering:F3}" : "") +
                               $" ({clock.Elapsed.TotalSeconds:F0} s)");
            }
        }
        var others = config.Injections.Where(m => m != Injection.Query).Select(m => m.ToString()).ToList();
        var compared = new List<string> { Metric, "z_use", "verified" };
        if (prepared[0].experiment.Task.AnyRuleAppliesToAnyPremises) compared.Add("rule_steering");
        var summaries = ExperimentReport.Summarise(runs, others.SelectMany(m => compared.Select(metric => ("Query", m, metric))));
        var report = new ExperimentReport(Name, ExperimentReport.LibraryVersionText, config, prepared[0].experiment.Rules, runs, summaries,
            new List<FindingVerdict>(), ExperimentReport.IntervalMethod, clock.Elapsed.TotalSeconds);
        return report with { Findings = new[] { Decide(report, others) } };
    }

    /// <summary>The verdict by <see cref="Rule"/>.</summary>
    public static FindingVerdict Decide(ExperimentReport report, IReadOnlyList<string> others)
    {
        var zUse = report["Query", "z_use"];
        var diffs = others.Select(m => (mode: m, interval: report[$"Query - {m}", Metric])).ToList();
        string evidence = $"Query z use {ExperimentReport.Show(zUse)} nats/token; " +
                          string.Join("; ", diffs.Select(d => $"Query - {d.mode} {ExperimentReport.Show(d.interval)}"));
        string verdict = zUse.Seeds < 2 ? "inconclusive"
            : diffs.Any(d => d.interval.High < 0) ? "does not hold"
            : zUse.Low > 0 && diffs.All(d => d.interval.Low > 0) ? "holds" : "inconclusive";
        return new FindingVerdict(Claim, verdict, Rule, evidence);
    }
}

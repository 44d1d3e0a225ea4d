using System.Diagnostics;

namespace LatentRules.Experiments;

/// <summary>
/// Finding 4 (more training samples stop helping beyond a point). Per seed, one dataset large enough for the largest n;
/// for each n, a supervised model trained on the first n training examples (rule-balanced) for a fixed number of epochs
/// (steps = epochs * n / batch), measured on the same in-distribution items (<see cref="VaeRuns.DecoderMeasures"/>).
/// The verdict reads the per-seed gains in token accuracy between consecutive sizes.
/// </summary>
public static class SampleSweepExperiment
{
    public const string Name = "sample-sweep";
    public const string Claim = "more training samples stop helping beyond a point (in-distribution token accuracy)";
    public const string Metric = "token_accuracy";

    public const string Rule =
        "with gains = per-seed differences of token accuracy between consecutive sizes: holds when the first gain's 95% interval " +
        "is above 0 (more data helped) and the last gain's interval reaches 0 or below (it stopped helping); does not hold when " +
        "the last gain's interval is above 0 (still helping at the largest n); otherwise inconclusive (also with one seed)";

    public static ExperimentConfig Defaults => new();

    public static string Arm(int n) => $"n={n}";

    public static ExperimentReport Run(ExperimentConfig config, TextWriter? log = null)
    {
        config.Validate();
        var sizes = config.SampleSizes.Distinct().Order().ToList();
        var clock = Stopwatch.StartNew();
        // Enough examples that the training split holds the largest n.
        int needed = (int)Math.Ceiling(sizes[^1] / (1 - config.ValidFraction - config.TestFraction)) + 1;
        int size = Math.Max(config.Size, needed);
        var prepared = config.Seeds.Select(seed => (seed, experiment: VaeRuns.Prepare(config, seed, size))).ToList();
        foreach (var (seed, experiment) in prepared)
            if (experiment.Data.Train.Count < sizes[^1])
                throw new ArgumentException($"--sample-sizes: the training split has {experiment.Data.Train.Count} examples at size {size} (seed {seed}), " +
                                            $"fewer than n = {sizes[^1]}; lower the largest size");
        var runs = new List<RunMeasure>();
        foreach (var (seed, experiment) in prepared)
            foreach (int n in sizes)
            {
                var subset = experiment.WithTrainingSize(n);
                int steps = Math.Max(1, config.Epochs * n / config.BatchSize);
                using var vae = VaeRuns.Train(subset, config, seed, supervised: true, steps: steps);
                var values = VaeRuns.DecoderMeasures(subset, vae, config, seed);
                values["n"] = n;
                values["steps"] = steps;
                runs.Add(new RunMeasure(seed, Arm(n), values));
                log?.WriteLine($"seed {seed}, n = {n} ({steps} steps): token accuracy {values[Metric]:F3}, verified {values["verified"]:F3} " +
                               $"({clock.Elapsed.TotalSeconds:F0} s)");
            }
        var gains = sizes.Zip(sizes.Skip(1), (a, b) => (Arm(b), Arm(a), Metric)).ToList();
        var summaries = ExperimentReport.Summarise(runs, gains);
        var report = new ExperimentReport(Name, ExperimentReport.LibraryVersionText, config, prepared[0].experiment.Rules, runs, summaries,
            new List<FindingVerdict>(), ExperimentReport.IntervalMethod, clock.Elapsed.TotalSeconds);
        return report with { Findings = new[] { Decide(report, sizes) } };
    }

    /// <summary>The verdict by <see cref="Rule"/>.</summary>
    public static FindingVerdict Decide(ExperimentReport report, IReadOnlyList<int> sizes)
    {
        var gains = sizes.Zip(sizes.Skip(1), (a, b) => (label: $"{a}->{b}", interval: report[$"{Arm(b)} - {Arm(a)}", Metric])).ToList();
        var (first, last) = (gains[0].interval, gains[^1].interval);
        string evidence = string.Join("; ", gains.Select(g => $"gain {g.label} {ExperimentReport.Show(g.interval)}"));
        string verdict = first.Seeds < 2 ? "inconclusive"
            : last.Low > 0 ? "does not hold"
            : first.Low > 0 && last.Low <= 0 && gains.Count > 1 ? "holds" : "inconclusive";
        return new FindingVerdict(Claim, verdict, Rule, evidence);
    }
}

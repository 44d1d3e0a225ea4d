using System.Diagnostics;

namespace LatentRules.Experiments;

/// <summary>
/// Finding 4 (more training samples stop helping beyond a point). Per seed, one dataset large enough for the largest n;
/// for each n, a supervised model trained on the first n training examples (rule-balanced) for the same number of steps
/// (<see cref="ExperimentConfig.SweepSteps"/>: only the data changes with n, not the compute), measured on the same
/// in-distribution items (<see cref="VaeRuns.DecoderMeasures"/>). The verdict reads the per-seed gains in token
/// accuracy between consecutive sizes. "Stops helping" is a claim of absence, so it needs evidence of absence: the last
/// gain's interval must lie below a margin fixed here (<see cref="Margin"/>), never merely reach 0 because it is wide.
/// </summary>
public static class SampleSweepExperiment
{
    public const string Name = "sample-sweep";
    public const string Claim = "more training samples stop helping beyond a point (in-distribution token accuracy)";
    public const string Metric = "token_accuracy";

    /// <summary>A gain in token accuracy below this counts as "no longer helping" (fixed before any run).</summary>
    public const double Margin = 0.01;

    public const string Rule =
        "with gains = per-seed differences of token accuracy between consecutive sizes: holds when the per-seed " +
        "difference first gain - last gain has a 95% interval above 0 (the gains shrink) and the last gain's " +
        "interval lies below the margin 0.01 (it stopped helping); does not hold when the last gain's interval lies " +
        "above the margin (still helping at the largest n); otherwise inconclusive (also with one seed, or intervals " +
        "too wide to tell)";

    /// <summary>
    /// The primary analysis: the last gain (largest n minus the one before, per seed), which must lie below
    /// <see cref="Margin"/>, read against the first gain and first gain - last gain (the gains must shrink).
    /// </summary>
    public static FindingDefinition Definition(ExperimentConfig config)
    {
        var sizes = Sizes(config);
        return new FindingDefinition(Name, Claim, $"{Arm(sizes[^1])} - {Arm(sizes[^2])}", Metric,
            new[] { $"{Arm(sizes[1])} - {Arm(sizes[0])}", Slowdown }, Rule, Margin);
    }

    private static List<int> Sizes(ExperimentConfig config) => config.SampleSizes.Distinct().Order().ToList();

    public static string Arm(int n) => $"n={n}";

    /// <summary>The summary name of the per-seed difference first gain - last gain.</summary>
    public const string Slowdown = "first gain - last gain";

    /// <summary>
    /// Trains and measures every seed's sizes and concludes. With <paramref name="parts"/> each (seed, n) result is
    /// saved there as soon as it is measured and a saved one is loaded instead of trained (<see cref="RunParts"/>);
    /// a seed whose sizes are all saved is not even generated.
    /// With more than one worker (<see cref="ExperimentConfig.Workers"/>, one per core by default) the seeds are
    /// trained in child processes first (<see cref="SeedWorkers"/>).
    /// </summary>
    public static ExperimentReport Run(ExperimentConfig config, TextWriter? log = null, string? parts = null)
    {
        config.Validate();
        CheckSizes(config);
        return SeedWorkers.Spread(Name, config, parts, log, (folder, clock) => RunHere(config, log, folder, clock));
    }

    private static void CheckSizes(ExperimentConfig config)
    {
        var sizes = Sizes(config);
        if (sizes.Count < 3)
            throw new ArgumentException("--sample-sizes: give at least three sizes (two gains to compare), got " +
                                        $"{string.Join(",", sizes)}");
    }

    // The run in this process (its seeds trained one after another, or loaded from the parts the workers saved).
    private static ExperimentReport RunHere(ExperimentConfig config, TextWriter? log, string? parts, Stopwatch clock)
    {
        var sizes = Sizes(config);
        var store = RunParts.Open(parts, new ExperimentDefinition<ExperimentConfig>(Definition(config), config), log);
        var saved = config.Seeds.Select(seed => store.LoadSeed<RunMeasure>(seed, sizes.Select(Arm))).ToList();
        // Enough examples that the training split holds the largest n.
        int needed = (int)Math.Ceiling(sizes[^1] / (1 - config.ValidFraction - config.TestFraction)) + 1;
        int size = Math.Max(config.Size, needed);
        var prepared = VaeRuns.PrepareUnsaved(config, saved, size);
        for (int i = 0; i < config.Seeds.Count; i++)
            if (prepared[i] is { } experiment && experiment.Data.Train.Count < sizes[^1])
                throw new ArgumentException($"--sample-sizes: the training split has {experiment.Data.Train.Count} " +
                                            $"examples at size {size} (seed {config.Seeds[i]}), " +
                                            $"fewer than n = {sizes[^1]}; lower the largest size");
        var rules = prepared.FirstOrDefault(e => e is not null)?.Rules ?? saved[0][0]!.Rules;
        var runs = new List<RunMeasure>();
        for (int i = 0; i < config.Seeds.Count; i++)
            for (int k = 0; k < sizes.Count; k++)
            {
                int seed = config.Seeds[i], n = sizes[k];
                if (saved[i][k] is { } part)
                {
                    runs.Add(part.Value);
                    continue;
                }
                var subset = prepared[i]!.WithTrainingSize(n);
                using var vae = VaeRuns.Train(subset, config, seed, supervised: true, steps: config.SweepSteps);
                var values = VaeRuns.DecoderMeasures(subset, vae, config, seed);
                values["n"] = n;
                values["steps"] = config.SweepSteps;
                var measure = new RunMeasure(seed, Arm(n), values);
                store.Save(seed, measure.Arm, rules, measure);
                runs.Add(measure);
                log?.WriteLine($"seed {seed}, n = {n} ({config.SweepSteps} steps): " +
                               $"token accuracy {values[Metric]:F3}, " +
                               $"verified {values["verified"]:F3} ({clock.Elapsed.TotalSeconds:F0} s)");
            }
        return Conclude(config, rules, runs, clock.Elapsed.TotalSeconds);
    }

    /// <summary>The report of finished runs (every seed's sizes): gains between consecutive n, the verdict.</summary>
    public static ExperimentReport Conclude(ExperimentConfig config, IReadOnlyList<string> rules,
        IReadOnlyList<RunMeasure> runs, double seconds)
    {
        var sizes = Sizes(config);
        var gains = sizes.Zip(sizes.Skip(1), (a, b) => (Arm(b), Arm(a), Metric)).ToList();
        var summaries = ExperimentReport.Summarise(runs, gains);
        summaries.Add(SlowdownSummary(runs, sizes));
        return ExperimentReport.Conclude(Definition(config), config, rules, runs, summaries,
            report => new[] { Decide(report, sizes) }, seconds);
    }

    // Per seed: (acc[n2] - acc[n1]) - (acc[nk] - acc[nk-1]).
    private static MetricSummary SlowdownSummary(IReadOnlyList<RunMeasure> runs, IReadOnlyList<int> sizes)
    {
        double At(int seed, int n) => runs.First(r => r.Seed == seed && r.Arm == Arm(n)).Values[Metric];
        var all = runs.Select(r => r.Seed).Distinct().Select(seed =>
            (At(seed, sizes[1]) - At(seed, sizes[0])) - (At(seed, sizes[^1]) - At(seed, sizes[^2]))).ToList();
        var finite = all.Where(double.IsFinite).ToList();
        return new MetricSummary(Slowdown, Metric,
            finite.Count > 0 ? SeedInterval.Of(finite)
                : new SeedInterval(0, double.NaN, double.NaN, double.NaN, double.NaN),
            all.Count);
    }

    /// <summary>The verdict by <see cref="Rule"/>.</summary>
    public static FindingVerdict Decide(ExperimentReport report, IReadOnlyList<int> sizes)
    {
        var gains = sizes.Zip(sizes.Skip(1),
            (a, b) => (label: $"{a}->{b}", interval: report[$"{Arm(b)} - {Arm(a)}", Metric])).ToList();
        var slowdown = report[Slowdown, Metric];
        var last = gains[^1].interval;
        string evidence = string.Join("; ", gains.Select(g => $"gain {g.label} {ExperimentReport.Show(g.interval)}")) +
                          $"; first gain - last gain {ExperimentReport.Show(slowdown)}; margin {Margin}";
        var verdict = last.Seeds < 2 || slowdown.Seeds < 2 ? Outcome.Inconclusive
            : last.Low > Margin ? Outcome.DoesNotHold
            : slowdown.Low > 0 && last.High < Margin ? Outcome.Holds : Outcome.Inconclusive;
        return new FindingVerdict(Claim, verdict, Rule, evidence);
    }
}

using System.Diagnostics;
using LatentRules.Data;
using LatentRules.Models.Vae;

namespace LatentRules.Experiments;

/// <summary>
/// Finding 2 (Query injection works best). Per seed, one supervised model per injection mode from the same data and
/// seed: every mode's encoder, decoder and classifier start from identical weights (<see cref="LanguageVae"/> draws the
/// injection last) and stage 2 starts from one shared stage 1, so the modes differ only in the injection. The primary
/// metric depends on z by construction: rule control, the decoder's loss with another rule's mean z minus with its own
/// rule's mean z (<see cref="Evaluation.DecoderUse"/>: 0 when the decoder ignores z), in inference mode (the decoder
/// writes the conclusion from the premises and z), with the label kept from the decoder so the rule can reach it only
/// through z, and a free-bits floor so z stays in use. Also reported: token accuracy and loss, z use, verified
/// generations, and on math rule steering (<see cref="Evaluation.RuleSteering"/>).
/// </summary>
public static class InjectionExperiment
{
    public const string Name = "injection";
    public const string Claim = "Query injection gives the rule the most control over the decoder (in-distribution)";
    public const string Metric = "rule_control";

    public const string Rule =
        "holds when Query's rule control has a 95% interval above 0 (the rule reaches the decoder through z) and, " +
        "for every other mode, the per-seed difference Query - mode of rule control has an interval above 0; does " +
        "not hold when some difference's interval is below 0 (another mode gives more control); otherwise " +
        "inconclusive (also with one seed)";

    /// <summary>
    /// The primary analysis: Query's rule control, read against every other mode's (per-seed differences). The presets
    /// set its settings: inference mode, the label not given to the decoder (unlike the study's checkpoints), free bits
    /// 0.5 per dimension.
    /// </summary>
    public static FindingDefinition Definition(ExperimentConfig config) => new(Name, Claim, "Query", Metric,
        Others(config), Rule, Margin: null);

    private static List<string> Others(ExperimentConfig config) =>
        config.Injections.Where(m => m != Injection.Query).Select(m => m.ToString()).ToList();

    /// <summary>
    /// Trains and measures every seed's modes and concludes. With <paramref name="parts"/> each (seed, mode) result is
    /// saved there as soon as it is measured and a saved one is loaded instead of trained (<see cref="RunParts"/>);
    /// the seed's shared stage 1 is trained again unless all its modes are saved (training is deterministic per seed,
    /// so the missing modes start from the same stage 1).
    /// With more than one worker (<see cref="ExperimentConfig.Workers"/>, one per core by default) the seeds are
    /// trained in child processes first (<see cref="SeedWorkers"/>).
    /// </summary>
    public static ExperimentReport Run(ExperimentConfig config, TextWriter? log = null, string? parts = null)
    {
        config.Validate();
        if (!config.Injections.Contains(Injection.Query))
            throw new ArgumentException("--injections must include Query (the claim is about it)");
        return SeedWorkers.Spread(Name, config, parts, log, (folder, clock) => RunHere(config, log, folder, clock));
    }

    // The run in this process (its seeds trained one after another, or loaded from the parts the workers saved).
    private static ExperimentReport RunHere(ExperimentConfig config, TextWriter? log, string? parts, Stopwatch clock)
    {
        var store = RunParts.Open(parts, new ExperimentDefinition<ExperimentConfig>(Definition(config), config), log);
        var modes = config.Injections;
        var saved = config.Seeds.Select(seed => store.LoadSeed<RunMeasure>(seed, modes.Select(m => m.ToString())))
            .ToList();
        var prepared = VaeRuns.PrepareUnsaved(config, saved);
        var rules = prepared.FirstOrDefault(e => e is not null)?.Rules ?? saved[0][0]!.Rules;
        var runs = new List<RunMeasure>();
        for (int i = 0; i < config.Seeds.Count; i++)
        {
            int seed = config.Seeds[i];
            if (prepared[i] is not { } experiment)
            {
                runs.AddRange(saved[i].Select(p => p!.Value));
                continue;
            }
            // one stage 1 per seed: the modes differ only in stage 2
            using var stage1 = VaeRuns.TrainEncoderStage(experiment, config, seed);
            for (int m = 0; m < modes.Count; m++)
            {
                var mode = modes[m];
                if (saved[i][m] is { } part)
                {
                    runs.Add(part.Value);
                    continue;
                }
                using var vae =
                    VaeRuns.Train(experiment, config, seed, supervised: true, injection: mode, encoderStage: stage1);
                var values = VaeRuns.DecoderMeasures(experiment, vae, config, seed);
                var measure = new RunMeasure(seed, mode.ToString(), values);
                store.Save(seed, measure.Arm, rules, measure);
                runs.Add(measure);
                log?.WriteLine($"seed {seed}, {mode}: rule control {values[Metric]:F3}, " +
                               $"token accuracy {values["token_accuracy"]:F3}, " +
                               $"z use {values["z_use"]:F3}, verified {values["verified"]:F3}" +
                               (values.TryGetValue("rule_steering", out var steering)
                                   ? $", rule steering {steering:F3}" : "") +
                               $" ({clock.Elapsed.TotalSeconds:F0} s)");
            }
        }
        return Conclude(config, rules, runs, clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// The report of finished runs (every seed's modes): summaries, Query - mode differences, the verdict.
    /// </summary>
    public static ExperimentReport Conclude(ExperimentConfig config, IReadOnlyList<string> rules,
        IReadOnlyList<RunMeasure> runs, double seconds)
    {
        var others = Others(config);
        var compared = new List<string> { Metric, "token_accuracy", "z_use", "verified" };
        if (runs.Any(r => r.Values.ContainsKey("rule_steering"))) compared.Add("rule_steering");
        var summaries =
            ExperimentReport.Summarise(runs, others.SelectMany(m => compared.Select(metric => ("Query", m, metric))));
        return ExperimentReport.Conclude(Definition(config), config, rules, runs, summaries,
            report => new[] { Decide(report, others) }, seconds);
    }

    /// <summary>The verdict by <see cref="Rule"/>.</summary>
    public static FindingVerdict Decide(ExperimentReport report, IReadOnlyList<string> others)
    {
        var control = report["Query", Metric];
        var diffs = others.Select(m => (mode: m, interval: report[$"Query - {m}", Metric])).ToList();
        string evidence = $"Query rule control {ExperimentReport.Show(control)} nats/token; " +
                          string.Join("; ", diffs.Select(d => $"Query - {d.mode} {ExperimentReport.Show(d.interval)}"));
        var verdict = control.Seeds < 2 ? Outcome.Inconclusive
            : diffs.Any(d => d.interval.High < 0) ? Outcome.DoesNotHold
            : control.Low > 0 && diffs.All(d => d.interval.Low > 0) ? Outcome.Holds : Outcome.Inconclusive;
        return new FindingVerdict(Claim, verdict, Rule, evidence);
    }
}

using LatentRules.Analysis.ParameterSpace;
using LatentRules.Experiments;
using LatentRules.Notebooks;
using LatentRules.Tables;

namespace LatentRules.Lab.Commands;

/// <summary>
/// `experiment NAME`: one of the study's findings over several seeds with its controls (rule-clusters: finding 1,
/// injection: finding 2, tangent-kernel: finding 3, sample-sweep: finding 4). Prints per-seed numbers, the summaries
/// over seeds and the verdict with its rule, and writes the report as JSON. Each seed and arm's result is saved as it
/// is measured in a parts folder (default: beside the report, out.json -> out.parts; --parts DIR), and a rerun loads
/// the saved ones (<see cref="RunParts"/>). `experiment combine a.json b.json --json all.json` combines reports of
/// seed shards (<see cref="CombinedReport"/>). The seeds train in child processes of this command, one per core by
/// default (`--workers N`, <see cref="SeedWorkers"/>), which are given the whole settings as JSON (`--settings FILE`,
/// with only --seeds, --workers, --parts and --json beside it). Bad input is refused before anything runs or is
/// written (exit code 1).
/// </summary>
public sealed class ExperimentCommand(TextWriter? output = null) : ILabCommand
{
    private TextWriter Out => output ?? Console.Out;

    public string Name => "experiment";
    public string Summary =>
        "experiment rule-clusters|injection|sample-sweep --task <task> | --data <file.jsonl|csv> --seeds 1-8 " +
        "[--size N --steps N --encoder-steps N " +
        "--latent N --rule-weight X --beta X --mode Autoencoding|Inference --encoder-reads-conclusion true|false " +
        "--encoder-reads-rule-text true|false --rule-to-decoder true|false --injection M --injections M,M " +
        "--rule-weights X,X --sample-sizes N,N,N --sweep-steps N --score-limit N " +
        "--valid-fraction X --test-fraction X --batch-size N --learning-rate X --free-bits X " +
        "--device auto|cpu|cuda --preset small|paper " +
        "--encoder-weights <bert folder>|none --decoder-weights <qwen2 folder>|none --parts <dir> --workers N] " +
        "--json <out.json>\n" +
        "experiment tangent-kernel --task <task> | --data <file.jsonl|csv> --seeds 1-8 " +
        "[--size N --encoder-steps N --steps N --per-rule N --permutations R " +
        "--output MeanJacobian|RuleLogitSum|MeanOfZ --preset small|paper --encoder-weights <bert folder>|none " +
        "--decoder-weights <qwen2 folder>|none --parts <dir> --workers N] --json <out.json>\n" +
        "experiment combine <a.json> <b.json> ... --json <all.json>";

    private static readonly string[] Names = { "rule-clusters", "injection", "tangent-kernel", "sample-sweep" };

    private static readonly string[] VaeOptions =
    {
        "json", "task", "data", "seeds", "size", "steps", "encoder-steps", "latent", "rule-weight", "beta", "mode",
        "encoder-reads-conclusion", "encoder-reads-rule-text", "rule-to-decoder", "injection", "injections",
        "rule-weights", "sample-sizes", "sweep-steps", "score-limit", "valid-fraction", "test-fraction",
        "batch-size", "learning-rate", "preset", "free-bits", "device", "encoder-weights", "decoder-weights",
        "parts", "workers", "settings",
    };

    public int Run(ParsedArgs args) => args.Positionals.FirstOrDefault() switch
    {
        "tangent-kernel" => TangentKernel(args),
        "combine" => Combine(args),
        RuleClustersExperiment.Name => Vae(args, RuleClustersExperiment.Name, RuleClustersExperiment.Run),
        InjectionExperiment.Name => Vae(args, InjectionExperiment.Name, InjectionExperiment.Run),
        SampleSweepExperiment.Name => Vae(args, SampleSweepExperiment.Name, SampleSweepExperiment.Run),
        null => throw new ArgumentException($"experiment: name one of {string.Join(", ", Names)}"),
        var other =>
            throw new ArgumentException($"experiment: unknown experiment '{other}'; known: {string.Join(", ", Names)}"),
    };

    private int Vae(ParsedArgs args, string name, Func<ExperimentConfig, TextWriter, string?, ExperimentReport> run)
    {
        args.RejectUnknown(VaeOptions);
        string json = args.Option("json")
            ?? throw new ArgumentException("--json: give the file to write the report to, e.g. --json result.json");
        var config = (Settings<ExperimentConfig>(args,
            (c, seeds, workers) => c with { Seeds = seeds ?? c.Seeds, Workers = workers ?? c.Workers })
            ?? VaeConfigFrom(args, Preset(args).Vae(name))).Validate();
        var report = run(config, Out, Parts(args, json));
        Print(report);
        report.Write(json);
        Out.WriteLine($"wrote {json}");
        return 0;
    }

    // --settings FILE: a run's whole settings as written in a report's definition (what a worker is started with);
    // only the seeds and workers may be given beside it. Null without --settings.
    private static T? Settings<T>(ParsedArgs args, Func<T, IReadOnlyList<int>?, int?, T> with) where T : class
    {
        if (args.Option("settings") is not { } file) return null;
        args.RejectUnknown(new[] { "settings", "seeds", "workers", "parts", "json" });
        return with(ExperimentFiles.Read<T>(file, "--settings"),
            args.Option("seeds") is { } seeds ? SeedList.Parse(seeds) : null,
            args.Has("workers") ? args.Int("workers", 0) : null);
    }

    // --parts, or the folder beside the report; said before the run so that a killed run's user knows where it is.
    private string Parts(ParsedArgs args, string json)
    {
        string parts = args.Option("parts") ?? RunParts.FolderFor(json);
        Out.WriteLine($"parts: {parts} (each seed and arm is saved there as it is measured; a rerun loads them)");
        return parts;
    }

    // `experiment combine a.json b.json ... --json all.json`.
    private int Combine(ParsedArgs args)
    {
        args.RejectUnknown(new[] { "json" });
        var paths = args.Positionals.Skip(1).ToList();
        string json = args.Option("json")
            ?? throw new ArgumentException("--json: give the file to write the combined report to, " +
                                           "e.g. --json all.json");
        if (paths.Count == 0)
            throw new ArgumentException(
                "combine: give the reports to combine, e.g. combine a.json b.json --json all.json");
        if (CombinedReport.ExperimentOf(paths[0]) == TangentKernelExperiment.Name)
        {
            var kernel = CombinedReport.TangentKernel(paths);
            Print(kernel);
            kernel.Write(json);
        }
        else
        {
            var report = CombinedReport.Vae(paths);
            Print(report);
            report.Write(json);
        }
        Out.WriteLine($"wrote {json} (combined from {string.Join(", ", paths)})");
        return 0;
    }

    // The report's per-seed numbers, summaries, primary number and verdicts.
    private void Print(ExperimentReport report)
    {
        var config = report.Config;
        Out.WriteLine($"## {report.Experiment}: {config.Task}, preset {config.Preset}, seeds " +
            $"{string.Join(",", config.Seeds)} ({Pace(config.Seeds.Count, report.Seconds)}, " +
            $"LatentRules {report.LibraryVersion})");
        Out.WriteLine("\nPer seed and arm:\n" + report.RunTable().ToMarkdown());
        Out.WriteLine($"\nOver seeds ({report.Interval}):\n" + report.SummaryTable().ToMarkdown());
        Out.WriteLine($"\nPrimary: {Show(report.Primary)}; controls: " +
                      string.Join("; ", report.Controls.Select(Show)));
        foreach (var f in report.Findings)
            Out.WriteLine($"\n{f.Claim}: {f.Verdict.Text()}.\nEvidence: {f.Evidence}\nRule: {f.Rule}");
    }

    // --preset (default small).
    private static ExperimentPreset Preset(ParsedArgs args) =>
        ExperimentPreset.Named(args.Option("preset") ?? ExperimentPreset.SmallName);

    /// <summary>
    /// The experiment's settings in the preset with every given option applied; each parse error names its option.
    /// </summary>
    private static ExperimentConfig VaeConfigFrom(ParsedArgs args, ExperimentConfig d) =>
        d with
        {
            Task = TaskOption(args, d.Task),
            DataFile = args.Option("data"),
            Seeds = args.Option("seeds") is { } seeds ? SeedList.Parse(seeds) : d.Seeds,
            Size = args.Int("size", d.Size),
            Steps = args.Int("steps", d.Steps),
            EncoderSteps = args.Int("encoder-steps", d.EncoderSteps),
            Recipe = Recipe(args, d.Recipe),
            Vae = d.Vae with
            {
                LatentSize = args.Int("latent", d.Vae.LatentSize),
                RuleWeight = args.Double("rule-weight", d.Vae.RuleWeight),
                RuleToDecoder = args.Option("rule-to-decoder") is { } r
                    ? Bool("rule-to-decoder", r) : d.Vae.RuleToDecoder,
                Injection = args.Option("injection") is { } i
                    ? Parse<Models.Vae.Injection>("injection", i) : d.Vae.Injection,
                FreeBits = args.Double("free-bits", d.Vae.FreeBits),
            },
            ValidFraction = args.Double("valid-fraction", d.ValidFraction),
            TestFraction = args.Double("test-fraction", d.TestFraction),
            Mode = args.Option("mode") is { } m ? Parse<Models.Vae.TargetMode>("mode", m) : d.Mode,
            EncoderReadsConclusion = args.Option("encoder-reads-conclusion") is { } e
                ? Bool("encoder-reads-conclusion", e) : d.EncoderReadsConclusion,
            EncoderReadsRuleText = args.Option("encoder-reads-rule-text") is { } t
                ? Bool("encoder-reads-rule-text", t) : d.EncoderReadsRuleText,
            Injections = args.Option("injections") is { } list
                ? list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                    .Select(x => Parse<Models.Vae.Injection>("injections", x)).ToList()
                : d.Injections,
            SampleSizes = args.Option("sample-sizes") is { } sizes
                ? NumberList.Ints(sizes, "--sample-sizes") : d.SampleSizes,
            SweepSteps = args.Int("sweep-steps", d.SweepSteps),
            RuleWeights = args.Option("rule-weights") is { } weights
                ? NumberList.Doubles(weights, "--rule-weights") : d.RuleWeights,
            ScoreLimit = args.Int("score-limit", d.ScoreLimit),
            Device = args.Option("device") ?? d.Device,
            Workers = args.Int("workers", d.Workers),
            Weights = Weights(args, d.Weights),
        };

    // --task, or with --data the file's task name ("file:name").
    private static string TaskOption(ParsedArgs args, string preset) => args.Option("task")
        ?? (args.Option("data") is { } file ? Data.UserData.RuleDataFile.TaskName(file) : preset);

    // --learning-rate, --beta and --batch-size over the preset's recipe.
    private static Training.TrainingRecipe Recipe(ParsedArgs args, Training.TrainingRecipe d) => d with
    {
        LearningRate = args.Double("learning-rate", d.LearningRate),
        Beta = args.Double("beta", d.Beta),
        BatchSize = args.Int("batch-size", d.BatchSize),
    };

    // --encoder-weights and --decoder-weights over the defaults: a model folder, or none (that side starts at random).
    private static Models.Vae.PretrainedWeights Weights(ParsedArgs args, Models.Vae.PretrainedWeights defaults)
    {
        string? Folder(string option, string? fallback) =>
            args.Option(option) is { } v ? (v.Equals("none", StringComparison.OrdinalIgnoreCase) ? null : v) : fallback;
        return new(Folder("encoder-weights", defaults.Encoder), Folder("decoder-weights", defaults.Decoder));
    }

    private static T Parse<T>(string option, string text) where T : struct, Enum =>
        Enum.TryParse<T>(text, ignoreCase: true, out var v) && Enum.IsDefined(v) ? v
            : throw new ArgumentException(
                $"--{option}: unknown value '{text}'; use one of {string.Join(", ", Enum.GetNames<T>())}");

    private static bool Bool(string option, string text) =>
        bool.TryParse(text, out bool b) ? b
            : throw new ArgumentException($"--{option}: expects true or false, got '{text}'");

    private int TangentKernel(ParsedArgs args)
    {
        args.RejectUnknown(new[] { "json", "task", "data", "seeds", "size", "encoder-steps", "steps", "per-rule",
            "permutations", "output", "preset", "encoder-weights", "decoder-weights", "latent", "rule-weight",
            "learning-rate", "beta", "batch-size", "device", "parts", "workers", "settings" });
        string json = args.Option("json")
            ?? throw new ArgumentException("--json: give the file to write the report to, e.g. --json ntk.json");
        var config = (Settings<TangentKernelConfig>(args,
            (c, seeds, workers) => c with { Seeds = seeds ?? c.Seeds, Workers = workers ?? c.Workers })
            ?? TangentKernelConfigFrom(args, Preset(args).TangentKernel)).Validate();
        var report = TangentKernelExperiment.Run(config, Out, Parts(args, json));
        Print(report);
        report.Write(json);
        Out.WriteLine($"wrote {json}");
        return 0;
    }

    // The tangent-kernel experiment's settings in the preset with every given option applied.
    private static TangentKernelConfig TangentKernelConfigFrom(ParsedArgs args, TangentKernelConfig d) =>
        d with
        {
            Task = TaskOption(args, d.Task),
            DataFile = args.Option("data"),
            Seeds = args.Option("seeds") is { } seeds ? SeedList.Parse(seeds) : d.Seeds,
            Size = args.Int("size", d.Size),
            EncoderSteps = args.Int("encoder-steps", d.EncoderSteps),
            Steps = args.Int("steps", d.Steps),
            Recipe = Recipe(args, d.Recipe),
            PerRule = args.Int("per-rule", d.PerRule),
            Permutations = args.Int("permutations", d.Permutations),
            Output = args.Option("output") is { } o ? Parse<KernelOutput>("output", o) : d.Output,
            Vae = d.Vae with
            {
                LatentSize = args.Int("latent", d.Vae.LatentSize),
                RuleWeight = args.Double("rule-weight", d.Vae.RuleWeight),
            },
            Device = args.Option("device") ?? d.Device,
            Workers = args.Int("workers", d.Workers),
            Weights = Weights(args, d.Weights),
        };

    // The tangent-kernel report's per-seed numbers, summaries, primary number and verdict.
    private void Print(TangentKernelReport report)
    {
        var config = report.Config;
        Out.WriteLine($"## Tangent kernel experiment: {config.Task}, {config.Output}, " +
                      $"seeds {string.Join(",", config.Seeds)}, " +
                      $"{report.Seeds[0].Examples} examples per kernel, {config.Permutations} permutations " +
                      $"({Pace(config.Seeds.Count, report.Seconds)}, LatentRules {report.LibraryVersion})");
        Out.WriteLine("\nPer seed, every group (p: permutation p-value of the gap):\n" +
            report.SeedTable().ToMarkdown());
        Out.WriteLine("\nFFN gap - attention gap per seed:\n" + report.DifferenceTable().ToMarkdown());
        Out.WriteLine($"\nOver seeds ({report.Interval}; p: permutation test of the mean gap over seeds):\n" +
            report.SummaryTable().ToMarkdown());
        Out.WriteLine($"\nPrimary: {Show(report.Primary)}; controls: " +
                      string.Join("; ", report.Controls.Select(Show)));
        Out.WriteLine($"\nFinding 3 ({report.Definition.Finding.Claim}): {report.Verdict.Text()}." +
                      $"\nEvidence: {report.Evidence}\nRule: {report.VerdictRule}");
    }

    // "8 seeds in 412 s, 1.17 seeds/min"
    private static string Pace(int seeds, double seconds) =>
        $"{seeds} seed(s) in {seconds:F0} s, {seeds / Math.Max(seconds, 1e-9) * 60:F2} seeds/min";

    // "Query rule_control 0.050 [-0.064, 0.164] (5 of 5 seeds)"
    private static string Show(PrimaryResult r) =>
        $"{r.Arm} {r.Metric} {r.Mean:F3} [{r.Low:F3}, {r.High:F3}] ({r.SeedsUsed} of {r.SeedsRun} seeds)";
}

using LatentRules.Analysis.ParameterSpace;
using LatentRules.Experiments;
using LatentRules.Notebooks;
using LatentRules.Tables;

namespace LatentRules.Lab.Commands;

/// <summary>
/// `experiment NAME`: one of the study's findings over several seeds with its controls (rule-clusters: finding 1,
/// injection: finding 2, tangent-kernel: finding 3, sample-sweep: finding 4). Prints per-seed numbers, the summaries
/// over seeds and the verdict with its rule, and writes the report as JSON. Bad input is refused before anything runs
/// or is written (exit code 1).
/// </summary>
public sealed class ExperimentCommand(TextWriter? output = null) : ILabCommand
{
    private TextWriter Out => output ?? Console.Out;

    public string Name => "experiment";
    public string Summary =>
        "experiment rule-clusters|injection|sample-sweep --task <task> --seeds 1,2,3 " +
        "[--size N --steps N --encoder-steps N " +
        "--latent N --rule-weight X --beta X --mode Autoencoding|Inference --encoder-reads-conclusion true|false " +
        "--encoder-reads-rule-text true|false --rule-to-decoder true|false --injection M --injections M,M " +
        "--rule-weights X,X --sample-sizes N,N,N --sweep-steps N --score-limit N " +
        "--valid-fraction X --test-fraction X --batch-size N --free-bits X " +
        "--device auto|cpu|cuda --preset small|paper " +
        "--encoder-weights <bert folder>|none --decoder-weights <qwen2 folder>|none] --json <out.json>\n" +
        "experiment tangent-kernel --task <task> --seeds 1,2,3 " +
        "[--size N --encoder-steps N --steps N --per-rule N --permutations R " +
        "--output MeanJacobian|RuleLogitSum|MeanOfZ --preset small|paper --encoder-weights <bert folder>|none " +
        "--decoder-weights <qwen2 folder>|none] --json <out.json>";

    private static readonly string[] Names = { "rule-clusters", "injection", "tangent-kernel", "sample-sweep" };

    private static readonly string[] VaeOptions =
    {
        "json", "task", "seeds", "size", "steps", "encoder-steps", "latent", "rule-weight", "beta", "mode",
        "encoder-reads-conclusion", "encoder-reads-rule-text", "rule-to-decoder", "injection", "injections",
        "rule-weights", "sample-sizes", "sweep-steps", "score-limit", "valid-fraction", "test-fraction",
        "batch-size", "preset", "free-bits", "device", "encoder-weights", "decoder-weights",
    };

    public int Run(ParsedArgs args) => args.Positionals.FirstOrDefault() switch
    {
        "tangent-kernel" => TangentKernel(args),
        "rule-clusters" => Vae(args, RuleClustersExperiment.Defaults, RuleClustersExperiment.Run),
        "injection" => Vae(args, InjectionExperiment.Defaults, InjectionExperiment.Run),
        "sample-sweep" => Vae(args, SampleSweepExperiment.Defaults, SampleSweepExperiment.Run),
        null => throw new ArgumentException($"experiment: name one of {string.Join(", ", Names)}"),
        var other =>
            throw new ArgumentException($"experiment: unknown experiment '{other}'; known: {string.Join(", ", Names)}"),
    };

    private int Vae(ParsedArgs args, ExperimentConfig defaults,
        Func<ExperimentConfig, TextWriter, ExperimentReport> run)
    {
        args.RejectUnknown(VaeOptions);
        string json = args.Option("json")
            ?? throw new ArgumentException("--json: give the file to write the report to, e.g. --json result.json");
        var config = VaeConfigFrom(args, defaults).Validate();
        var report = run(config, Out);
        Out.WriteLine($"## {report.Experiment}: {config.Task}, seeds {string.Join(",", config.Seeds)} " +
            $"({report.Seconds:F0} s, LatentRules {report.LibraryVersion})");
        Out.WriteLine("\nPer seed and arm:\n" + report.RunTable().ToMarkdown());
        Out.WriteLine($"\nOver seeds ({report.Interval}):\n" + report.SummaryTable().ToMarkdown());
        foreach (var f in report.Findings)
            Out.WriteLine($"\n{f.Claim}: {f.Verdict.Text()}.\nEvidence: {f.Evidence}\nRule: {f.Rule}");
        report.Write(json);
        Out.WriteLine($"wrote {json}");
        return 0;
    }

    /// <summary>
    /// The experiment's defaults (or the paper preset) with every given option applied; each parse error names its
    /// option.
    /// </summary>
    private static ExperimentConfig VaeConfigFrom(ParsedArgs args, ExperimentConfig defaults)
    {
        string task = args.Option("task") ?? defaults.Task;
        var d = Preset.IsPaper(args.Option("preset") ?? Preset.Small, "--preset")
            ? (ExperimentConfig.Paper(task) with { Mode = defaults.Mode }).WithRuleToDecoder(defaults.Vae.RuleToDecoder)
                .WithFreeBits(defaults.Vae.FreeBits)
            : defaults with { Task = task };
        return d with
        {
            Seeds = args.Option("seeds") is { } seeds ? Ints("seeds", seeds) : d.Seeds,
            Size = args.Int("size", d.Size),
            Steps = args.Int("steps", d.Steps),
            EncoderSteps = args.Int("encoder-steps", d.EncoderSteps),
            BatchSize = args.Int("batch-size", d.BatchSize),
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
            Beta = args.Double("beta", d.Beta),
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
            SampleSizes = args.Option("sample-sizes") is { } sizes ? Ints("sample-sizes", sizes) : d.SampleSizes,
            SweepSteps = args.Int("sweep-steps", d.SweepSteps),
            RuleWeights = args.Option("rule-weights") is { } weights ? Doubles("rule-weights", weights) : d.RuleWeights,
            ScoreLimit = args.Int("score-limit", d.ScoreLimit),
            Device = args.Option("device") ?? d.Device,
            Weights = Weights(args, d.Weights),
        };
    }

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
        args.RejectUnknown(new[] { "json", "task", "seeds", "size", "encoder-steps", "steps", "per-rule",
            "permutations", "output", "preset", "encoder-weights", "decoder-weights" });
        var defaults = Preset.IsPaper(args.Option("preset") ?? Preset.Small, "--preset")
            ? TangentKernelConfig.Paper(args.Option("task") ?? new TangentKernelConfig().Task)
            : new TangentKernelConfig();
        string json = args.Option("json")
            ?? throw new ArgumentException("--json: give the file to write the report to, e.g. --json ntk.json");
        var config = new TangentKernelConfig
        {
            Task = args.Option("task") ?? defaults.Task,
            Seeds = args.Option("seeds") is { } seeds ? Ints("seeds", seeds) : defaults.Seeds,
            Size = args.Int("size", defaults.Size),
            EncoderSteps = args.Int("encoder-steps", defaults.EncoderSteps),
            Steps = args.Int("steps", defaults.Steps),
            PerRule = args.Int("per-rule", defaults.PerRule),
            Permutations = args.Int("permutations", defaults.Permutations),
            Output = args.Option("output") is { } o
                ? Enum.TryParse<KernelOutput>(o, ignoreCase: true, out var parsed)
                    ? parsed : throw new ArgumentException($"--output: unknown kernel output '{o}'")
                : defaults.Output,
            Vae = defaults.Vae,
            Weights = Weights(args, defaults.Weights),
        };
        var report = TangentKernelExperiment.Run(config, Out);
        Out.WriteLine($"## Tangent kernel experiment: {config.Task}, {config.Output}, " +
                      $"seeds {string.Join(",", config.Seeds)}, " +
                      $"{report.Seeds[0].Examples} examples per kernel, {config.Permutations} permutations " +
                      $"({report.Seconds:F0} s, LatentRules {report.LibraryVersion})");
        Out.WriteLine("\nPer seed, every group (p: permutation p-value of the gap):\n" +
            report.SeedTable().ToMarkdown());
        Out.WriteLine("\nFFN gap - attention gap per seed:\n" + report.DifferenceTable().ToMarkdown());
        Out.WriteLine($"\nOver seeds ({report.Interval}; p: permutation test of the mean gap over seeds):\n" +
            report.SummaryTable().ToMarkdown());
        Out.WriteLine("\nFinding 3 (training makes FFN keep rules apart more than attention): " +
                      $"{report.Verdict.Text()}." +
                      $"\nRule: {report.VerdictRule}");
        report.Write(json);
        Out.WriteLine($"wrote {json}");
        return 0;
    }

    /// <summary>
    /// "1,2,3" as whole numbers, naming the option when one is not; an empty list is left to the config's checks.
    /// </summary>
    private static IReadOnlyList<int> Ints(string option, string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return parts.Select(p => int.TryParse(p, out int s) ? s
            : throw new ArgumentException($"--{option}: '{p}' is not a whole number")).ToList();
    }

    /// <summary>"0.1,1,10" as numbers, naming the option when one is not.</summary>
    private static IReadOnlyList<double> Doubles(string option, string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return parts.Select(p => double.TryParse(p, System.Globalization.NumberStyles.Float,
                System.Globalization.CultureInfo.InvariantCulture, out double x) ? x
            : throw new ArgumentException($"--{option}: '{p}' is not a number")).ToList();
    }
}

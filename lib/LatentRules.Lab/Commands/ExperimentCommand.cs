using LatentRules.Analysis.ParameterSpace;
using LatentRules.Experiments;
using LatentRules.Tables;

namespace LatentRules.Lab.Commands;

/// <summary>
/// `experiment tangent-kernel`: finding 3 over several seeds with its controls (see <see cref="TangentKernelExperiment"/>);
/// prints per-seed numbers, the summaries and the verdict with its rule, and writes the report as JSON.
/// Bad input is refused before anything runs or is written (exit code 1).
/// </summary>
public sealed class ExperimentCommand(TextWriter? output = null) : ILabCommand
{
    private TextWriter Out => output ?? Console.Out;

    public string Name => "experiment";
    public string Summary =>
        "experiment tangent-kernel --task <task> --seeds 1,2,3 [--size N --encoder-steps N --steps N --per-rule N --permutations R " +
        "--output MeanJacobian|RuleLogitSum|MeanOfZ] --json <out.json>";

    public int Run(ParsedArgs args) => args.Positionals.FirstOrDefault() switch
    {
        "tangent-kernel" => TangentKernel(args),
        var other => throw new UsageException($"experiment expects tangent-kernel, got '{other ?? ""}'"),
    };

    private int TangentKernel(ParsedArgs args)
    {
        var defaults = new TangentKernelConfig();
        string json = args.Option("json") ?? throw new ArgumentException("--json: give the file to write the report to, e.g. --json ntk.json");
        var config = new TangentKernelConfig
        {
            Task = args.Option("task") ?? defaults.Task,
            Seeds = args.Option("seeds") is { } seeds ? Seeds(seeds) : defaults.Seeds,
            Size = args.Int("size", defaults.Size),
            EncoderSteps = args.Int("encoder-steps", defaults.EncoderSteps),
            Steps = args.Int("steps", defaults.Steps),
            PerRule = args.Int("per-rule", defaults.PerRule),
            Permutations = args.Int("permutations", defaults.Permutations),
            Output = args.Option("output") is { } o
                ? Enum.TryParse<KernelOutput>(o, ignoreCase: true, out var parsed) ? parsed : throw new ArgumentException($"--output: unknown kernel output '{o}'")
                : defaults.Output,
        };
        var report = TangentKernelExperiment.Run(config, Out);
        Out.WriteLine($"## Tangent kernel experiment: {config.Task}, {config.Output}, seeds {string.Join(",", config.Seeds)}, " +
                      $"{report.Seeds[0].Examples} examples per kernel, {config.Permutations} permutations ({report.Seconds:F0} s, LatentRules {report.LibraryVersion})");
        Out.WriteLine("\nPer seed, every group (p: permutation p-value of the gap):\n" + report.SeedTable().ToMarkdown());
        Out.WriteLine("\nFFN gap - attention gap per seed:\n" + report.DifferenceTable().ToMarkdown());
        Out.WriteLine($"\nOver seeds ({report.Interval}; p: permutation test of the mean gap over seeds):\n" + report.SummaryTable().ToMarkdown());
        Out.WriteLine($"\nFinding 3 (FFN keeps rules apart better than attention): {report.Verdict}.\nRule: {report.VerdictRule}");
        report.Write(json);
        Out.WriteLine($"wrote {json}");
        return 0;
    }

    /// <summary>"1,2,3" as seeds; names --seeds in every complaint.</summary>
    private static IReadOnlyList<int> Seeds(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) throw new ArgumentException("--seeds: give at least one seed, e.g. --seeds 1,2,3 (two or more for an interval)");
        return parts.Select(p => int.TryParse(p, out int s) ? s : throw new ArgumentException($"--seeds: '{p}' is not a whole number")).ToList();
    }
}

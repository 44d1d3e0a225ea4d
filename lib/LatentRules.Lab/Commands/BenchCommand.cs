namespace LatentRules.Lab.Commands;

/// <summary>
/// `bench NAME`: benchmark programs that print a Markdown table of medians and, as their last line,
/// `ratio &lt;C# time / reference time&gt;`. Timings are never asserted by tests.
/// </summary>
public sealed class BenchCommand : ILabCommand
{
    private static readonly Dictionary<string, Func<ParsedArgs, int>> _benchmarks = new(StringComparer.Ordinal)
    {
        ["engine"] = Benchmarks.EngineBenchmark.Run,
        ["tokenizer"] = Benchmarks.TokenizerBenchmark.Run,
        ["qwen"] = Benchmarks.QwenBenchmark.Run,
        ["matmul"] = Benchmarks.MatmulBenchmark.Run,
        ["vae"] = Benchmarks.VaeBenchmark.Run,
        ["tsne"] = Benchmarks.TsneBenchmark.Run,
    };

    public string Name => "bench";
    public string Summary => "run a benchmark: " + string.Join(", ", _benchmarks.Keys);

    public int Run(ParsedArgs args)
    {
        if (args.Positionals.Count != 1 || !_benchmarks.TryGetValue(args.Positionals[0], out var bench))
            throw new UsageException($"bench expects one of: {string.Join(", ", _benchmarks.Keys)}");
        return bench(args);
    }
}

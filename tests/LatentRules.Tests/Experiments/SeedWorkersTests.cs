using LatentRules.Experiments;
using LatentRules.Lab.Commands;
using LatentRules.Torch;

namespace LatentRules.Tests.Experiments;

/// <summary>
/// <c>lab experiment --workers N</c>: the seeds dealt to child processes, their arguments, a two-worker run equal to
/// one process's, and a failing worker's message. Never a finding's outcome.
/// </summary>
[Collection("torch")]
public sealed class SeedWorkersTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), $"workers-{Guid.NewGuid():N}");

    public SeedWorkersTests() => Directory.CreateDirectory(folder);

    public void Dispose()
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }

    private string In(string name) => Path.Combine(folder, name);

    [Fact]
    public void SeedsAreDealtRoundRobinToNoMoreShardsThanSeeds()
    {
        Assert.Equal(new[] { new[] { 1, 3, 5 }, new[] { 2, 4 } },
            SeedWorkers.Shards(new[] { 1, 2, 3, 4, 5 }, 2).Select(s => s.ToArray()));
        Assert.Equal(new[] { new[] { 101 }, new[] { 7 }, new[] { 9 } },
            SeedWorkers.Shards(new[] { 101, 7, 9 }, 8).Select(s => s.ToArray()));
        Assert.Equal(new[] { 4, 5 }, Assert.Single(SeedWorkers.Shards(new[] { 4, 5 }, 1)));
        Assert.Contains("--workers must be at least 1, got 0",
            Assert.Throws<ArgumentException>(() => SeedWorkers.Shards(new[] { 1 }, 0)).Message);
    }

    [Fact]
    public void TokensGiveTheArgumentsBackWithoutTheNamedOptions()
    {
        var args = ParsedArgs.Parse(new[] { "rule-clusters", "--seeds", "1-4", "--size", "200", "--workers", "2",
            "--data=a b.csv", "--quiet", "-p", "x=1" }, CommandLine.KnownFlags);
        var tokens = args.Tokens(except: new[] { "workers", "seeds" }).ToList();
        Assert.Equal(new[] { "rule-clusters", "--size=200", "--data=a b.csv", "--quiet", "-p", "x=1" }, tokens);
        var again = ParsedArgs.Parse(tokens, CommandLine.KnownFlags);
        Assert.Equal("a b.csv", again.Option("data"));
        Assert.Null(again.Option("workers"));
        Assert.True(again.Flag("quiet"));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void TwoWorkersGiveTheReportOfOneProcessWithTheirThreadCount()
    {
        var options = new[] { "--size", "200", "--steps", "12", "--encoder-steps", "3", "--score-limit", "4",
            "--seeds", "1-3" };
        var launcher = new WorkerLauncher("dotnet", new[] { Path.Combine(AppContext.BaseDirectory,
            "LatentRules.Lab.dll") });
        var output = new StringWriter();
        Assert.Equal(0, CommandLine.Dispatch(new[] { "experiment", "rule-clusters" }.Concat(options)
                .Concat(new[] { "--workers", "2", "--json", In("two.json") }).ToArray(),
            new ILabCommand[] { new ExperimentCommand(output, launcher) }));
        string log = output.ToString();
        Assert.Contains("2 workers, ", log);
        Assert.Contains("[seeds 1,3] seed 3, unsupervised:", log);
        Assert.Contains("[seeds 2] seed 2, supervised:", log);
        Assert.Equal(9, log.Split('\n').Count(l => l.Contains("loaded from", StringComparison.Ordinal)));

        var config = SmallPreset.Preset.RuleClusters with
        {
            Size = 200,
            Steps = 12,
            EncoderSteps = 3,
            ScoreLimit = 4,
            Seeds = new[] { 1, 2, 3 },
        };
        ExperimentReport single;
        using (Threads.Use(Math.Max(1, Environment.ProcessorCount / 2))) single = RuleClustersExperiment.Run(config);
        Assert.Equal(ResumeTests.WithoutSeconds(single),
            ResumeTests.WithoutSeconds(ExperimentReport.Read(In("two.json"))));
    }

    [Fact]
    public void AFailingWorkerIsNamedWithWhatItSaidAndTheRunStops()
    {
        var failing = new WorkerLauncher("/bin/sh", new[] { "-c", "echo 'no such file' >&2; exit 3", "sh" });
        var command = new ExperimentCommand(new StringWriter(), failing);
        var args = new[] { "experiment", "rule-clusters", "--seeds", "1,2", "--workers", "2", "--json",
            In("out.json") };
        var error = Assert.Throws<ArgumentException>(() =>
            command.Run(ParsedArgs.Parse(args.Skip(1).ToArray(), CommandLine.KnownFlags)));
        Assert.Contains("the worker for seeds 1 exited with code 3: no such file", error.Message);
        Assert.Contains("the worker for seeds 2 exited with code 3", error.Message);
        Assert.Contains("run the command again to resume", error.Message);
        Assert.Equal(1, CommandLine.Dispatch(args, new ILabCommand[] { command }));
        Assert.False(File.Exists(In("out.json")));
    }
}

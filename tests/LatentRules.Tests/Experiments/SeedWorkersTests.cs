using LatentRules.Experiments;
using LatentRules.Lab.Commands;
using LatentRules.Tests.Support;
using LatentRules.Torch;

namespace LatentRules.Tests.Experiments;

/// <summary>
/// Seeds trained by worker processes (<see cref="SeedWorkers"/>): how seeds are dealt, which lab is started, a run
/// with two workers equal to one process's, a failing worker's message, and --settings. Never a finding's outcome.
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
        Assert.Equal(Environment.ProcessorCount, SeedWorkers.Count(0, "cpu"));
        Assert.Equal(3, SeedWorkers.Count(3, "cpu"));
        Assert.Contains("--workers must be 0 (one per core) or more, got -1", Assert.Throws<ArgumentException>(() =>
            (TinyExperiments.Vae with { Workers = -1 }).Validate()).Message);
    }

    [Fact]
    public void OnlyALabBuiltFromThisVeryLibraryIsStarted()
    {
        // this test's folder holds the lab and this library: found
        var here = WorkerLauncher.Find(out string why);
        Assert.NotNull(here);
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "LatentRules.Lab.dll"), here.Prefix.Single());
        Assert.Equal("", why);
        // a lab beside another build of the library (another module version id): refused, saying why
        string stale = In("stale");
        Directory.CreateDirectory(stale);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "LatentRules.Lab.dll"), Path.Combine(stale,
            "LatentRules.Lab.dll"));
        File.Copy(typeof(SeedWorkersTests).Assembly.Location, Path.Combine(stale, "LatentRules.dll"));
        Assert.Null(WorkerLauncher.Find(stale, typeof(WorkerLauncher).Assembly.ManifestModule.ModuleVersionId,
            out why));
        Assert.Contains("holds another build of the library", why);
        Assert.Null(WorkerLauncher.Find(In("empty"), Guid.NewGuid(), out why));
        Assert.Contains("no built lab", why);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void TwoWorkersGiveTheReportOfOneProcessAtTheirThreadCount()
    {
        var config = TinyExperiments.Vae with { Seeds = new[] { 1, 2, 3 }, Workers = 2 };
        var log = new StringWriter();
        var two = RuleClustersExperiment.Run(config, log, In("two.parts"));
        string text = log.ToString();
        Assert.Contains("2 workers, ", text);
        Assert.Contains("[seeds 1,3] seed 3, unsupervised:", text);
        Assert.Contains("[seeds 2] seed 2, supervised:", text);
        Assert.Equal(9, text.Split('\n').Count(l => l.StartsWith("seed ", StringComparison.Ordinal)
                                                    && l.Contains("loaded from", StringComparison.Ordinal)));
        Assert.Equal(2, two.Config.Workers);
        Assert.True(two.Seconds >= 1, $"the report's time is the whole run's, the workers' included: {two.Seconds} s");

        ExperimentReport single;
        using (Threads.Use(Math.Max(1, Environment.ProcessorCount / 2)))
            single = RuleClustersExperiment.Run(config with { Workers = 1 });
        Assert.Equal(ResumeTests.WithoutSeconds(single with { Definition = two.Definition }),
            ResumeTests.WithoutSeconds(two));
        Assert.Equal(single.Runs.Select(r => r.Values), two.Runs.Select(r => r.Values));

        // without a parts folder the workers' folder is temporary: nothing is left behind
        int before = Directory.GetDirectories(Path.GetTempPath(), "latentrules-rule-clusters-*").Length;
        RuleClustersExperiment.Run(config with { Seeds = new[] { 1, 2 } });
        Assert.Equal(before, Directory.GetDirectories(Path.GetTempPath(), "latentrules-rule-clusters-*").Length);
    }

    // Seeds 1 and 2 on two workers on the CPU, generated math data.
    private static readonly ExperimentConfig Pair =
        TinyExperiments.Vae with { Seeds = new[] { 1, 2 }, Workers = 2, Device = "cpu", Task = "math" };

    [Fact]
    public void AFailingWorkerIsNamedWithWhatItSaidAndTheRunStops()
    {
        // a worker that fails before saving anything: nothing is written, nothing to resume
        var failing = new WorkerLauncher("/bin/sh", new[] { "-c", "echo 'no such file' >&2; exit 3", "sh" });
        bool ran = false;
        var error = Assert.Throws<ArgumentException>(() => SeedWorkers.Spread("rule-clusters", Pair,
            In("out.parts"), new StringWriter(), (_, _) => ran = true, failing));
        Assert.Contains("the worker for seeds 1 exited with code 3: no such file", error.Message);
        Assert.Contains("the worker for seeds 2 exited with code 3", error.Message);
        Assert.DoesNotContain("kept in", error.Message);
        Assert.False(Directory.Exists(In("out.parts")));
        Assert.False(ran);

        // one that saved a part first ($10 is the --parts folder): the message says where, for a resume
        var saving = new WorkerLauncher("/bin/sh", new[] { "-c",
            "mkdir -p \"${10}\" && echo {} > \"${10}/seed-$6.supervised.json\"; echo killed >&2; exit 137", "sh" });
        error = Assert.Throws<ArgumentException>(() => SeedWorkers.Spread("rule-clusters", Pair,
            In("out.parts"), new StringWriter(), (_, _) => ran = true, saving));
        Assert.Contains("the worker for seeds 1 exited with code 137: killed", error.Message);
        Assert.Contains($"kept in {In("out.parts")}: run again to resume", error.Message);
        Assert.True(File.Exists(In("out.parts/seed-1.supervised.json")));
        Assert.False(ran);
    }

    [Fact]
    public void SettingsFileRunsExactlyTheGivenSettingsAndRefusesOtherOptions()
    {
        var config = TinyExperiments.Vae with { Seeds = new[] { 4 }, Size = 150 };
        ExperimentFiles.Write(In("settings.json"), config);
        var output = new StringWriter();
        Assert.Equal(0, CommandLine.Dispatch(new[] { "experiment", "rule-clusters", "--settings", In("settings.json"),
            "--seeds", "5", "--json", In("out.json") }, new ILabCommand[] { new ExperimentCommand(output) }));
        var report = ExperimentReport.Read(In("out.json"));
        Assert.Equal(ResumeTests.WithoutSeconds(RuleClustersExperiment.Run(config with { Seeds = new[] { 5 } })),
            ResumeTests.WithoutSeconds(report));
        var command = new ExperimentCommand(new StringWriter());
        Assert.Contains("--size: unknown option", Assert.Throws<ArgumentException>(() => command.Run(ParsedArgs.Parse(
            new[] { "rule-clusters", "--settings", In("settings.json"), "--size", "9", "--json", In("x.json") },
            CommandLine.KnownFlags))).Message);
    }
}

using System.Text.Json.Nodes;
using LatentRules.Experiments;
using LatentRules.Lab.Commands;
using LatentRules.Models.Vae;
using LatentRules.Tests.Support;

namespace LatentRules.Tests.Experiments;

/// <summary>
/// Runs that resume and shards that combine, with tiny models and a few steps: a run killed after some parts and run
/// again gives the uninterrupted run's report without training the saved parts again, and shards of its seeds combine
/// into that report. Never a finding's outcome.
/// </summary>
[Collection("torch")]
public sealed class ResumeTests : IDisposable
{
    private static readonly ExperimentConfig Tiny =
        TinyExperiments.Vae with { Injections = new[] { Injection.KeyValue, Injection.Query } };

    private static readonly TangentKernelConfig TinyKernel = TinyExperiments.Kernel;

    private readonly string folder = Path.Combine(Path.GetTempPath(), $"resume-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }

    private string In(string name) => Path.Combine(folder, name);

    /// <summary>
    /// A log that throws on its <c>n</c>-th line: the run is killed right after its n-th part is saved.
    /// </summary>
    private sealed class KilledAt(int n) : StringWriter
    {
        private int lines;

        public override void WriteLine(string? value)
        {
            if (++lines == n) throw new KilledException();
            base.WriteLine(value);
        }
    }

    private sealed class KilledException : Exception;

    /// <summary>The report's JSON without <c>seconds</c>: what two runs of one definition must agree on.</summary>
    internal static string WithoutSeconds<T>(T report)
    {
        var node = ExperimentFiles.Node(report).AsObject();
        node.Remove("seconds");
        return node.ToJsonString();
    }

    private static int Count(StringWriter log, string text) =>
        log.ToString().Split('\n').Count(l => l.Contains(text, StringComparison.Ordinal));

    private static int Trained(StringWriter log) =>
        log.ToString().Split('\n').Count(l => l.StartsWith("seed ", StringComparison.Ordinal)
                                              && !l.Contains("loaded from", StringComparison.Ordinal));

    public static TheoryData<string, int> Killed => new()
    {
        { RuleClustersExperiment.Name, 2 },   // in the middle of seed 1 (3 arms per seed)
        { InjectionExperiment.Name, 3 },      // in the middle of seed 2: its stage 1 is trained again
        { SampleSweepExperiment.Name, 4 },    // in the middle of seed 2 (3 sizes per seed)
    };

    private static ExperimentReport RunVae(string name, ExperimentConfig config, TextWriter? log, string? parts) =>
        name switch
        {
            RuleClustersExperiment.Name => RuleClustersExperiment.Run(config, log, parts),
            InjectionExperiment.Name => InjectionExperiment.Run(config, log, parts),
            _ => SampleSweepExperiment.Run(config, log, parts),
        };

    [Theory]
    [MemberData(nameof(Killed))]
    public void AKilledRunResumesToTheUninterruptedReportAndShardsCombineToIt(string name, int killedAt)
    {
        var uninterrupted = RunVae(name, Tiny, null, In("whole.parts"));
        int parts = uninterrupted.Runs.Count;
        Assert.Equal(parts, Directory.GetFiles(In("whole.parts"), "*.json").Length);

        Assert.Throws<KilledException>(() => RunVae(name, Tiny, new KilledAt(killedAt), In("killed.parts")));
        Assert.Equal(killedAt, Directory.GetFiles(In("killed.parts"), "*.json").Length);
        var log = new StringWriter();
        var resumed = RunVae(name, Tiny, log, In("killed.parts"));
        Assert.Equal(WithoutSeconds(uninterrupted), WithoutSeconds(resumed));
        Assert.Equal(killedAt, Count(log, "loaded from"));            // the saved parts were not trained again
        Assert.Equal(parts - killedAt, Trained(log));
        Assert.Equal(0, Count(log, "ignored"));

        // Shards of the seeds (loading their parts: the key leaves the seeds out) combine into the same report.
        RunVae(name, Tiny with { Seeds = new[] { 2 } }, null, In("whole.parts")).Write(In("b.json"));
        RunVae(name, Tiny with { Seeds = new[] { 1 } }, null, In("whole.parts")).Write(In("a.json"));
        var output = new StringWriter();
        Assert.Equal(0, CommandLine.Dispatch(new[] { "experiment", "combine", In("b.json"), In("a.json"), "--json",
            In("all.json") }, new ILabCommand[] { new ExperimentCommand(output) }));
        Assert.Equal(WithoutSeconds(uninterrupted), WithoutSeconds(ExperimentReport.Read(In("all.json"))));
    }

    [Fact]
    public void ShardsTrainedApartCombineToOneRunOverTheirSeeds()
    {
        var both = RuleClustersExperiment.Run(Tiny with { Seeds = new[] { 1, 2 } });
        RuleClustersExperiment.Run(Tiny with { Seeds = new[] { 1 } }).Write(In("a.json"));
        RuleClustersExperiment.Run(Tiny with { Seeds = new[] { 2 } }).Write(In("b.json"));
        Assert.Equal(WithoutSeconds(both), WithoutSeconds(CombinedReport.Vae(new[] { In("a.json"), In("b.json") })));
    }

    [Fact]
    public void APartOfAnotherVersionOrDefinitionIsNotUsedAndSaidSo()
    {
        var config = Tiny with { Seeds = new[] { 1 } };
        var first = RuleClustersExperiment.Run(config, null, In("rc.parts"));
        var store = RunParts.Open(In("rc.parts"),
            new ExperimentDefinition<ExperimentConfig>(RuleClustersExperiment.Definition(config), config));
        void Edit(string arm, string field, string value)
        {
            var node = JsonNode.Parse(File.ReadAllText(store.PathOf(1, arm)))!;
            node[field] = value;
            File.WriteAllText(store.PathOf(1, arm), node.ToJsonString());
        }
        Edit("supervised", "library_version", "0.0.1+other");
        Edit("shuffled", "key", "0123456789abcdef");
        var log = new StringWriter();
        var again = RuleClustersExperiment.Run(config, log, In("rc.parts"));
        Assert.Equal(WithoutSeconds(first), WithoutSeconds(again));
        Assert.Equal(2, Trained(log));                               // the two parts not used were trained again
        Assert.Equal(1, Count(log, "loaded from"));
        Assert.Equal(1, Count(log, "ignored, library version 0.0.1+other measured it"));
        Assert.Equal(1, Count(log, "ignored, it belongs to another definition"));

        // Another setting (not the seeds): nothing is loaded, every part is said to be ignored.
        var other = config with { Steps = 2 };
        log = new StringWriter();
        RuleClustersExperiment.Run(other, log, In("rc.parts"));
        Assert.Equal((0, 3, 3), (Count(log, "loaded from"), Count(log, "another definition"), Trained(log)));
    }

    [Fact]
    public void AKilledTangentKernelRunResumesAndItsShardsCombine()
    {
        var uninterrupted = TangentKernelExperiment.Run(TinyKernel, null, In("whole.parts"));
        Assert.All(uninterrupted.Seeds, s => Assert.Equal(16, s.Cosines!.Ffn.Length));
        // killed after seed 1 and seed 2's untrained encoder
        Assert.Throws<KilledException>(() =>
            TangentKernelExperiment.Run(TinyKernel, new KilledAt(3), In("killed.parts")));
        var log = new StringWriter();
        var resumed = TangentKernelExperiment.Run(TinyKernel, log, In("killed.parts"));
        Assert.Equal(WithoutSeconds(uninterrupted), WithoutSeconds(resumed));
        Assert.Equal((3, 1), (Count(log, "loaded from"), Trained(log)));

        TangentKernelExperiment.Run(TinyKernel with { Seeds = new[] { 1 } }, null, In("whole.parts"))
            .Write(In("a.json"));
        TangentKernelExperiment.Run(TinyKernel with { Seeds = new[] { 2 } }).Write(In("b.json"));   // trained apart
        Assert.Equal(0, CommandLine.Dispatch(new[] { "experiment", "combine", In("a.json"), In("b.json"), "--json",
            In("all.json") }, new ILabCommand[] { new ExperimentCommand(new StringWriter()) }));
        Assert.Equal(WithoutSeconds(uninterrupted), WithoutSeconds(TangentKernelReport.Read(In("all.json"))));
    }

    [Fact]
    public void OnlySeedsWithAnUnsavedArmArePreparedAndTheDataFileIsReadOnlyForThem()
    {
        var part = new RunPart<RunMeasure>("rule-clusters", "key", "v", 1, "supervised", new[] { "a", "b" },
            new RunMeasure(1, "supervised", new Dictionary<string, double>()));
        var config = Tiny with { Seeds = new[] { 1, 2 }, DataFile = In("missing.csv"), Task = "missing" };
        // every arm saved: nothing prepared, the (missing) file never opened
        Assert.All(VaeRuns.PrepareUnsaved(config, new[] { new[] { part }, new[] { part } }), Assert.Null);
        // seed 2 has an arm to train: its data is needed, so the missing file is reported
        var error = Assert.ThrowsAny<Exception>(() =>
            VaeRuns.PrepareUnsaved(config, new[] { new[] { part }, new RunPart<RunMeasure>?[] { null } }));
        Assert.Contains("missing.csv", error.Message);
        // generated data: the saved seed is skipped, the other prepared
        var prepared = VaeRuns.PrepareUnsaved(Tiny with { Seeds = new[] { 1, 2 } },
            new[] { new[] { part }, new RunPart<RunMeasure>?[] { null } });
        Assert.Null(prepared[0]);
        Assert.NotNull(prepared[1]);
    }
}

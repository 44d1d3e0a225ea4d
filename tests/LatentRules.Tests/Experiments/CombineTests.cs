using System.Text.Json.Nodes;
using LatentRules.Experiments;
using LatentRules.Lab.Commands;

namespace LatentRules.Tests.Experiments;

/// <summary>
/// <c>lab experiment combine</c> on reports concluded from hand-made per-seed numbers (no training): shards give the
/// report of one run over their seeds, and every refusal names the file and field, exits with 1 and writes nothing.
/// </summary>
public sealed class CombineTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), $"combine-{Guid.NewGuid():N}");

    public CombineTests() => Directory.CreateDirectory(folder);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string In(string name) => Path.Combine(folder, name);

    private static readonly string[] Rules = { "a", "b" };

    private static RunMeasure Run(int seed, string arm, double silhouette) => new(seed, arm,
        new Dictionary<string, double>
        {
            ["silhouette_valid"] = silhouette, ["probe_valid"] = 0.9 - 0.01 * seed, ["probe_test"] = 0.8,
        });

    // Rule-clusters over these seeds: each seed's numbers depend only on the seed.
    private static ExperimentReport Clusters(ExperimentConfig config, params int[] seeds) =>
        RuleClustersExperiment.Conclude(config with { Seeds = seeds }, Rules, seeds.SelectMany(s => new[]
        {
            Run(s, "supervised", 0.3 + 0.07 * s), Run(s, "shuffled", 0.1 * s % 0.3), Run(s, "unsupervised", 0.05),
        }).ToList(), seconds: seeds.Length);

    // A seed's kernel: 8 examples, two rules, cosines that depend on the seed.
    private static SeedMeasure Kernel(int seed, string encoder)
    {
        int[] labels = { 0, 0, 0, 0, 1, 1, 1, 1 };
        double[][] Matrix(double same) => Enumerable.Range(0, 8).Select(i => Enumerable.Range(0, 8).Select(j =>
            i == j ? 1 : labels[i] == labels[j] ? same : Math.Sin(seed * 7 + i * 3 + j) * 0.1).ToArray()).ToArray();
        double gain = encoder == "trained" ? 0.1 * seed : 0;
        var groups = new[]
        {
            new GroupMeasure("ffn", 10, 0.5 + gain, 0.1, 0.4 + gain, 0, 0.1),
            new GroupMeasure("attention", 10, 0.3, 0.1, 0.2, 0, 0.2),
        };
        return new SeedMeasure(seed, encoder, 8, 0.2 + gain, groups,
            new KernelCosines(labels, Matrix(0.4 + gain), Matrix(0.2)));
    }

    private static TangentKernelReport Kernels(params int[] seeds) => TangentKernelExperiment.Conclude(
        SmallPreset.Preset.TangentKernel with { Seeds = seeds, Permutations = 99 }, Rules,
        seeds.SelectMany(s => new[] { Kernel(s, "trained"), Kernel(s, "untrained") }).ToList(), seconds: 1);

    // The exit code of `lab experiment combine REPORTS --json all.json`, and the message of its refusal (if any).
    private (int code, string message) Combine(params string[] reports)
    {
        var args = new[] { "experiment", "combine" }.Concat(reports.Select(In))
            .Concat(new[] { "--json", In("all.json") }).ToArray();
        var command = new ExperimentCommand(new StringWriter());
        int code = CommandLine.Dispatch(args, new ILabCommand[] { command });
        string message = "";
        try { command.Run(ParsedArgs.Parse(args.Skip(1).ToArray(), CommandLine.KnownFlags)); }
        catch (Exception e) when (e is InvalidDataException or ArgumentException) { message = e.Message; }
        return (code, message);
    }

    [Fact]
    public void ShardsCombineToTheReportOfOneRunOverTheirSeeds()
    {
        var config = SmallPreset.Preset.RuleClusters;
        Clusters(config, 3).Write(In("b.json"));
        Clusters(config, 1, 2).Write(In("a.json"));
        Assert.Equal(0, Combine("b.json", "a.json").code);
        var combined = ExperimentReport.Read(In("all.json"));
        Assert.Equal(ResumeTests.WithoutSeconds(Clusters(config, 1, 2, 3)),
            ResumeTests.WithoutSeconds(combined));
        Assert.Equal(new[] { 1, 2, 3 }, combined.Config.Seeds);
        Assert.Equal(3.0, combined.Seconds);                          // the shards' time, summed

        Kernels(2).Write(In("k2.json"));
        Kernels(1, 3).Write(In("k13.json"));
        Assert.Equal(0, Combine("k2.json", "k13.json").code);
        Assert.Equal(ResumeTests.WithoutSeconds(Kernels(1, 2, 3)),
            ResumeTests.WithoutSeconds(TangentKernelReport.Read(In("all.json"))));
    }

    [Fact]
    public void EveryRefusalNamesTheFileAndFieldExitsWithOneAndWritesNothing()
    {
        var config = SmallPreset.Preset.RuleClusters;
        Clusters(config, 1).Write(In("a.json"));
        Clusters(config, 2).Write(In("b.json"));
        Clusters(config with { Steps = 300 }, 2).Write(In("steps.json"));
        Clusters(config, 1, 2).Write(In("again.json"));
        Kernels(2).Write(In("kernel.json"));
        var version = JsonNode.Parse(File.ReadAllText(In("b.json")))!;
        version["library_version"] = "0.0.1+other";
        File.WriteAllText(In("version.json"), version.ToJsonString());
        File.WriteAllText(In("text.json"), "not json at all");
        File.WriteAllText(In("object.json"), "{\"experiment\": \"rule-clusters\"}");
        var before = Directory.GetFiles(folder).ToDictionary(f => f, File.ReadAllText);

        void Refused(string message, params string[] reports)
        {
            var (code, error) = Combine(reports);
            Assert.Equal(1, code);
            Assert.Contains(message, error);
            Assert.False(File.Exists(In("all.json")));
        }
        Refused($"definition.settings.steps: 200 in {In("a.json")}, 300 in {In("steps.json")}", "a.json", "steps.json");
        Refused($"seed 1 is in {In("a.json")} and {In("again.json")}", "a.json", "again.json");
        Refused($"experiment: \"rule-clusters\" in {In("a.json")}, \"tangent-kernel\" in {In("kernel.json")}",
            "a.json", "kernel.json");
        Refused($"experiment: \"tangent-kernel\" in {In("kernel.json")}, \"rule-clusters\" in {In("a.json")}",
            "kernel.json", "a.json");
        Refused($"library_version: \"{ExperimentReport.LibraryVersionText}\" in {In("a.json")}, \"0.0.1+other\"",
            "a.json", "version.json");
        Refused($"{In("text.json")}: not an experiment report", "a.json", "text.json");
        Refused($"{In("object.json")}: not an experiment report (no schema)", "a.json", "object.json");
        Refused("combine: give the reports to combine");
        // the reports read are as they were
        Assert.All(before, kv => Assert.Equal(kv.Value, File.ReadAllText(kv.Key)));
    }
}

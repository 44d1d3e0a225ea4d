using System.Text.Json.Nodes;
using LatentRules.Experiments;
using LatentRules.Tables;

namespace LatentRules.Tests.Experiments;

/// <summary>
/// The presets, the findings' definitions and the one JSON shape of every report; no training (reports are concluded
/// from hand-made per-seed numbers).
/// </summary>
public sealed class DefinitionTests
{
    private static readonly string[] Shape =
    {
        "schema", "experiment", "definition", "seeds", "primary", "controls", "verdict", "verdict_rule", "evidence",
        "library_version", "rules", "interval", "seconds",
    };

    private static RunMeasure Run(int seed, string arm, double silhouette) => new(seed, arm,
        new Dictionary<string, double>
        {
            ["silhouette_valid"] = silhouette, ["probe_valid"] = 0.9, ["probe_test"] = 0.8,
        });

    private static JsonObject Written<T>(T report)
    {
        string path = Path.Combine(Path.GetTempPath(), $"shape-{Guid.NewGuid():N}.json");
        try
        {
            ExperimentFiles.Write(path, report);
            return JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void AVaeReportCarriesItsDefinitionPrimaryNumberAndControls()
    {
        var config = SmallPreset.Preset.RuleClusters with { Seeds = new[] { 1, 2, 3 } };
        // supervised - shuffled per seed: 0.3, 0.2, 0.4 (mean 0.3, sd 0.1)
        var runs = new[] { (1, 0.5, 0.2), (2, 0.6, 0.4), (3, 0.4, 0.0) }.SelectMany(x => new[]
        {
            Run(x.Item1, "supervised", x.Item2), Run(x.Item1, "shuffled", x.Item3), Run(x.Item1, "unsupervised", 0.1),
        }).ToList();
        var report = RuleClustersExperiment.Conclude(config, new[] { "a", "b" }, runs, seconds: 1);

        Assert.Equal(("supervised - shuffled", "silhouette_valid"), (report.Primary.Arm, report.Primary.Metric));
        Assert.Equal(0.3, report.Primary.Mean, 12);
        Assert.Equal(0.3 - 4.302652729911275 * 0.1 / Math.Sqrt(3), report.Primary.Low, 7);
        Assert.Equal((3, 3), (report.Primary.SeedsUsed, report.Primary.SeedsRun));
        Assert.Equal(new[] { "shuffled", "unsupervised" }, report.Controls.Select(c => c.Arm));
        Assert.Equal(0.2, report.Controls[0].Mean, 12);
        Assert.Equal(0.1, report.Controls[1].Mean, 12);
        Assert.Equal(report.Findings[0].Verdict, report.Verdict);
        Assert.Equal(RuleClustersExperiment.Rule, report.VerdictRule);

        var json = Written(report);
        Assert.Subset(json.Select(kv => kv.Key).ToHashSet(), Shape.ToHashSet());
        Assert.Equal(ExperimentReport.CurrentSchema, (int)json["schema"]!);
        Assert.Equal("silhouette_valid", (string)json["definition"]!["finding"]!["primary_metric"]!);
        Assert.Equal("small", (string)json["definition"]!["settings"]!["preset"]!);
        Assert.Equal(9, json["seeds"]!.AsArray().Count);
        Assert.Equal(3, (int)json["primary"]!["seeds_used"]!);
        Assert.Equal(report.Verdict.Text(), (string)json["verdict"]!);
        string path = WrittenPath(report);
        var back = ExperimentReport.Read(path);
        File.Delete(path);
        Assert.Equal(report.Primary, back.Primary);
        Assert.Equal(report.Definition.Finding.Controls, back.Definition.Finding.Controls);
    }

    private static string WrittenPath(ExperimentReport report)
    {
        string path = Path.Combine(Path.GetTempPath(), $"shape-{Guid.NewGuid():N}.json");
        report.Write(path);
        return path;
    }

    [Fact]
    public void TheTangentKernelReportHasTheSameShape()
    {
        SeedMeasure Seed(int seed, string encoder, double difference) => new(seed, encoder, 16, difference,
            Array.Empty<GroupMeasure>());
        EncoderSummary Summary(string encoder, params double[] d) =>
            new(encoder, SeedInterval.Of(d), 0.1, 0.05, 0.01, 0.2, 0.03);
        var seeds = new[] { Seed(1, "trained", 0.3), Seed(1, "untrained", 0.1), Seed(2, "trained", 0.5),
            Seed(2, "untrained", 0.2) };
        var report = TangentKernelReport.Conclude(SmallPreset.Preset.TangentKernel, new[] { "a", "b" }, seeds,
            Summary("trained", 0.3, 0.5), Summary("untrained", 0.1, 0.2), seconds: 1);
        // trained - untrained per seed: 0.2, 0.3
        Assert.Equal(0.25, report.Primary.Mean, 12);
        Assert.Equal(("trained - untrained", "ffn_minus_attention"), (report.Primary.Arm, report.Primary.Metric));
        Assert.Equal(0.15, report.Controls.Single().Mean, 12);
        var json = Written(report);
        Assert.Subset(json.Select(kv => kv.Key).ToHashSet(), Shape.ToHashSet());
        Assert.Equal("tangent-kernel", (string)json["experiment"]!);
        Assert.Equal(TangentKernelExperiment.Definition.PrimaryMetric,
            (string)json["definition"]!["finding"]!["primary_metric"]!);
    }

    [Fact]
    public void EveryPresetRunsAtLeastEightSeedsAndThePaperStepsAreTenEpochs()
    {
        foreach (var preset in new[] { SmallPreset.Preset, PaperPreset.Preset("data/downloads") })
        {
            foreach (var config in new[] { preset.RuleClusters, preset.Injection, preset.SampleSweep })
            {
                Assert.True(config.Seeds.Count >= 8, $"{preset.Name}: {config.Seeds.Count} seeds");
                Assert.Equal(preset.Name, config.Preset);
            }
            Assert.True(preset.TangentKernel.Seeds.Count >= 8);
            Assert.Equal(preset.Name, preset.TangentKernel.Preset);
        }
        var paper = PaperPreset.Preset("data/downloads").RuleClusters;
        // 10 epochs over the training split (4,000 x 0.7) at batch 32
        Assert.Equal(875, (int)(10 * paper.Size * (1 - paper.ValidFraction - paper.TestFraction)
                                / paper.Recipe.BatchSize));
        Assert.Equal(875, paper.Steps);
        Assert.Equal(1.0, paper.Recipe.Beta);
        Assert.Equal("small", ExperimentPreset.Named("small").Name);
        Assert.Contains("--preset: unknown preset 'huge'",
            Assert.Throws<ArgumentException>(() => ExperimentPreset.Named("huge")).Message);
    }

    [Fact]
    public void TheRecipeGivesTheScheduleByHand()
    {
        var trainer = SmallPreset.Preset.RuleClusters.Recipe.For(300, seed: 7, device: "cpu");
        Assert.Equal((300, 30, 300, 7L, "cpu"), (trainer.Steps, trainer.WarmupSteps, trainer.EvalEvery, trainer.Seed,
            trainer.Device));
        Assert.Equal(150, trainer.Beta.WarmupSteps);
        Assert.Equal(0.2, trainer.Beta.Beta);
        Assert.Equal(2e-3, trainer.LearningRate);
        Assert.Equal(60, SmallPreset.Preset.RuleClusters.Recipe.For(300, 1, evaluations: 5).EvalEvery);
        Assert.Equal(7, SmallPreset.Preset.RuleClusters.Recipe.For(70, 1).WarmupSteps);   // 70 * 0.1, not 6
        Assert.Contains("--batch-size", Assert.Throws<ArgumentException>(() =>
            (SmallPreset.Preset.RuleClusters.Recipe with { BatchSize = 0 }).Validate()).Message);
    }

    [Fact]
    public void SeedListsReadNumbersAndRanges()
    {
        Assert.Equal(new[] { 1, 2, 3, 7 }, SeedList.Parse("1-3, 7"));
        Assert.Equal(new[] { 101, 102 }, SeedList.Parse("101-102"));
        Assert.Contains("--seeds: 'x' is not a whole number", Assert.Throws<ArgumentException>(
            () => SeedList.Parse("1,x")).Message);
        Assert.Contains("'3-1'", Assert.Throws<ArgumentException>(() => SeedList.Parse("3-1")).Message);
    }

    [Fact]
    public void TheSettingsTableMarksWhatWasSetByHand()
    {
        var preset = SmallPreset.Preset.RuleClusters;
        var used = preset with { Steps = 50, Vae = preset.Vae with { LatentSize = 4 } };
        var rows = SettingsTable.Compare(preset, used).Records()
            .ToDictionary(r => (string)r["setting"]!, r => ((string)r["value"]!, (string)r["changed"]!));
        Assert.Equal(("50", "set here"), rows["steps"]);
        Assert.Equal(("4", "set here"), rows["vae.latent_size"]);
        Assert.Equal(("0.2", ""), rows["recipe.beta"]);
        Assert.Equal(("1,2,3,4,5,6,7,8", ""), rows["seeds"]);
        Assert.Equal(2, rows.Values.Count(v => v.Item2 == "set here"));
    }

    [Fact]
    public void ChangesNameWhatDiffers()
    {
        var preset = SmallPreset.Preset.RuleClusters;
        Assert.Equal("as set above", SettingsTable.Changes(preset, preset with { }));
        Assert.Equal("recipe.beta=1; vae.injection=Memory", SettingsTable.Changes(preset, preset with
        {
            Recipe = preset.Recipe with { Beta = 1 },
            Vae = preset.Vae with { Injection = Models.Vae.Injection.Memory },
        }));
    }

    [Fact]
    public void TheTrialLogKeepsEveryRowAcrossCallsAndAddsNewMetricsAsColumns()
    {
        string file = Path.Combine(Path.GetTempPath(), $"trials-{Guid.NewGuid():N}", "trials.csv");
        try
        {
            TrialLog.Add(file, "02", "recipe.beta=1", new Dictionary<string, double> { ["probe"] = 0.81234567 });
            var table = TrialLog.Add(file, "04", "vae.injection=Memory",
                new Dictionary<string, double> { ["rule_control"] = 0.05 });
            var rows = TrialLog.Read(file);
            Assert.Equal(2, rows.Count);
            Assert.Equal(new[] { "02", "04" }, rows.Select(r => (string)r["notebook"]!));
            Assert.Equal(0.8123, Convert.ToDouble(rows[0]["probe"]), 12);
            Assert.Null(rows[1]["probe"]);
            Assert.Null(rows[0]["rule_control"]);
            Assert.Equal(2, table.Rows.Count);
            File.WriteAllText(file, "a,b\n1,2\n");
            Assert.Contains("not a trial log", Assert.Throws<InvalidDataException>(() =>
                TrialLog.Add(file, "02", "x", new Dictionary<string, double>())).Message);
            Assert.Equal("a,b\n1,2\n", File.ReadAllText(file));                   // nothing lost
        }
        finally { Directory.Delete(Path.GetDirectoryName(file)!, true); }
    }
}

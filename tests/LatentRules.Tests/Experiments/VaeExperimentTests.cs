using LatentRules.Experiments;
using LatentRules.Lab.Commands;
using LatentRules.Models.Vae;
using LatentRules.Tests.Support;

namespace LatentRules.Tests.Experiments;

/// <summary>
/// The rule-clusters, injection and sample-sweep experiments: machinery, JSON, bad input and verdict rules (never
/// outcomes).
/// </summary>
[Collection("torch")]
public sealed class VaeExperimentTests
{
    // A tiny model and a few steps: these check the machinery, never a finding's outcome.
    private static readonly ExperimentConfig Tiny = TinyExperiments.Vae;

    private static string TempFile() => Path.Combine(Path.GetTempPath(), $"experiment-{Guid.NewGuid():N}.json");

    [Fact]
    public void RuleClustersReportHasEveryArmPerSeedEverySplitAndRoundTripsThroughJson()
    {
        var report = RuleClustersExperiment.Run(Tiny);
        Assert.Equal(new[]
        {
            (1, "supervised"), (1, "shuffled"), (1, "unsupervised"), (2, "supervised"), (2, "shuffled"),
            (2, "unsupervised"),
        }, report.Runs.Select(r => (r.Seed, r.Arm)));
        foreach (var metric in new[] { "probe_train", "probe_valid", "probe_test", "silhouette_valid", "ceiling_test" })
            Assert.All(report.Runs, r => Assert.True(r.Values.ContainsKey(metric), metric));
        var gap = report["supervised - shuffled", "silhouette_valid"];
        var perSeed = report.Runs.GroupBy(r => r.Seed)
            .Select(g => g.Single(r => r.Arm == "supervised").Values["silhouette_valid"]
                         - g.Single(r => r.Arm == "shuffled").Values["silhouette_valid"]).ToList();
        Assert.Equal(perSeed.Average(), gap.Mean, 12);
        Assert.Equal(2, report.Findings.Count);

        string path = TempFile();
        try
        {
            report.Write(path);
            var back = ExperimentReport.Read(path);
            Assert.Equal(report.Experiment, back.Experiment);
            Assert.Equal(report.LibraryVersion, back.LibraryVersion);
            Assert.Equal(report.Config with
            {
                Seeds = back.Config.Seeds,
                SampleSizes = back.Config.SampleSizes,
                Injections = back.Config.Injections,
                Vae = back.Config.Vae
            }, back.Config);
            Assert.Equal(report.Config.Seeds, back.Config.Seeds);
            Assert.Equal(report.Config.Vae.Encoder, back.Config.Vae.Encoder);
            Assert.Equal(report.Rules, back.Rules);
            Assert.Equal(report.Findings, back.Findings);
            for (int i = 0; i < report.Runs.Count; i++)
                Assert.Equal(report.Runs[i].Values.OrderBy(kv => kv.Key), back.Runs[i].Values.OrderBy(kv => kv.Key));
            Assert.Equal(report.Summaries.Count, back.Summaries.Count);
            string json = File.ReadAllText(path);
            foreach (var field in new[] { "\"library_version\"", "\"seeds\"", "\"summaries\"", "\"findings\"",
                "\"rule\"", "\"encoder_reads_conclusion\": true" })
                Assert.Contains(field, json);
            // the vocabulary, as text
            Assert.Matches("\"verdict\": \"(holds|does not hold|inconclusive)\"", json);
            Assert.Contains("\"seeds_run\": 2", json);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void InjectionAndSampleSweepMeasureEveryArmOnEverySeed()
    {
        var injection = InjectionExperiment.Run(
            Tiny with { Seeds = new[] { 1 }, Injections = new[] { Injection.KeyValue, Injection.Query } });
        Assert.Equal(new[] { "KeyValue", "Query" }, injection.Runs.Select(r => r.Arm));
        Assert.All(injection.Runs, r => Assert.Equal(5, r.Values["scored"]));
        Assert.Equal(Outcome.Inconclusive, injection.Findings.Single().Verdict);    // one seed: no interval
        Assert.All(injection.Runs, r => Assert.True(double.IsFinite(r.Values[InjectionExperiment.Metric])));

        var sweep = SampleSweepExperiment.Run(Tiny with { Seeds = new[] { 1 } });
        Assert.Equal(new[] { "n=20", "n=40", "n=80" }, sweep.Runs.Select(r => r.Arm));
        // one step budget for every n
        Assert.Equal(new[] { 2.0, 2.0, 2.0 }, sweep.Runs.Select(r => r.Values["steps"]));
        var slowdown = sweep[SampleSweepExperiment.Slowdown, "token_accuracy"];
        double A(int n) => sweep.Runs.Single(r => r.Arm == $"n={n}").Values["token_accuracy"];
        Assert.Equal((A(40) - A(20)) - (A(80) - A(40)), slowdown.Mean, 12);
    }

    private static bool Same(TorchSharp.torch.Tensor a, TorchSharp.torch.Tensor b)
    {
        if (!a.shape.SequenceEqual(b.shape)) return false;
        using var difference = (a - b).abs().max();
        return difference.item<float>() == 0;
    }

    [Fact]
    public void ASharedStageOneGivesTheModelThatStageOneThenTwoGives()
    {
        // The injection experiment trains stage 1 once per seed; for the config's own injection that must be exactly
        // the model the two stages in a row give, and another mode must start stage 2 from the same encoder side.
        var config = Tiny with { Seeds = new[] { 1 }, EncoderSteps = 3, Steps = 2 };
        var experiment = VaeRuns.Prepare(config, 1);
        using var together = VaeRuns.Train(experiment, config, 1, supervised: true);
        using var stage1 = VaeRuns.TrainEncoderStage(experiment, config, 1);
        using var shared = VaeRuns.Train(experiment, config, 1, supervised: true, encoderStage: stage1);
        var expected = together.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, p) in shared.named_parameters())
            Assert.True(Same(p, expected[name]), $"{name} differs");
        Assert.Contains("rule_classifier.weight", stage1.Names);
        Assert.DoesNotContain(stage1.Names, n => n.StartsWith("decoder.") || n.StartsWith("injection."));

        // A Memory model (another initialisation) holds the stage-1 encoder side once the stage is applied.
        using var memory = new LanguageVae(experiment.ModelConfig(config.Vae with { Injection = Injection.Memory }));
        const string embedding = "encoder.embeddings.word_embeddings.weight";
        Assert.False(Same(memory.encoder.embeddings.word_embeddings.weight!, stage1[embedding]));
        stage1.ApplyTo(memory);
        Assert.True(Same(memory.encoder.embeddings.word_embeddings.weight!, stage1[embedding]));
        // stage 2 moved it on
        Assert.False(Same(together.encoder.embeddings.word_embeddings.weight!, stage1[embedding]));
        Assert.Throws<ArgumentException>(() =>
            VaeRuns.Train(experiment, config, 1, supervised: false, encoderStage: stage1));
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void SupervisionControlSeparatesExplanatoryRulesBetterThanLambdaZero()
    {
        // The control behaves as a control: on in-distribution explanatory steps the probe of a lambda-0 model (no rule
        // signal anywhere in training) reads the rule worse than the supervised model's. A check of the machinery
        // (labels reach the supervised run and not the control), not of the study's finding.
        var config = SmallPreset.Preset.RuleClusters with
        {
            Task = "explanatory",
            Seeds = new[] { 1 },
            Size = 600,
            EncoderSteps = 60,
            Steps = 40
        };
        var experiment = VaeRuns.Prepare(config, 1);
        double Probe(bool supervised)
        {
            using var vae = VaeRuns.Train(experiment, config, 1, supervised);
            return LatentScores.BySplit(experiment, vae, 1, "valid")["valid"].ProbeAccuracy;
        }
        double supervisedProbe = Probe(true), control = Probe(false);
        Assert.True(supervisedProbe > control + 0.1,
            $"supervised probe {supervisedProbe:F3}, lambda-0 probe {control:F3}");
    }

    [Theory]
    [InlineData("nosuch", "", "unknown experiment 'nosuch'")]
    [InlineData("rule-clusters", "--task nosuch", "--task: unknown task 'nosuch'")]
    [InlineData("rule-clusters", "--seeds ,", "--seeds: give at least one seed")]
    [InlineData("injection", "--seeds 1,1", "--seeds: a seed appears twice")]
    [InlineData("rule-clusters", "--size 4", "--size 4 leaves the")]
    [InlineData("injection", "--injections Query", "--injections: give at least two modes")]
    [InlineData("injection", "--injections Query,Sideways", "--injections: unknown value 'Sideways'")]
    [InlineData("sample-sweep", "--sample-sizes 100", "--sample-sizes: give at least two")]
    [InlineData("sample-sweep", "--sample-sizes 100,200", "--sample-sizes: give at least three sizes")]
    [InlineData("rule-clusters", "--rule-weights 1,x", "--rule-weights: 'x' is not a number")]
    [InlineData("rule-clusters", "--rule-weights 1,1", "--rule-weights: give distinct weights above 0")]
    [InlineData("rule-clusters", "--rule-weights 0,1", "--rule-weights: give distinct weights above 0")]
    [InlineData("rule-clusters", "--mode Telepathy", "--mode: unknown value 'Telepathy'")]
    [InlineData("rule-clusters", "--rule-to-decoder maybe", "--rule-to-decoder: expects true or false")]
    [InlineData("rule-clusters", "--preset huge", "--preset: unknown preset 'huge'")]
    [InlineData("rule-clusters", "--stepz 3", "--stepz: unknown option")]
    [InlineData("rule-clusters", "--encoder-weights /no/such/bert",
        "--encoder-weights: /no/such/bert has no config.json")]
    [InlineData("injection", "--preset paper --encoder-weights none --decoder-weights /no/such/qwen",
        "--decoder-weights: /no/such/qwen has no config.json")]
    public void BadInputIsRefusedNamingTheOptionWithExitOneAndWritesNothing(string name, string options, string message)
    {
        string path = TempFile();
        var args = new[] { "experiment", name, "--steps", "1" }
            .Concat(options.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Concat(new[] { "--json", path }).ToArray();
        var command = new ExperimentCommand(new StringWriter());
        var error = Assert.Throws<ArgumentException>(() =>
            command.Run(ParsedArgs.Parse(args.Skip(1).ToArray(), CommandLine.KnownFlags)));
        Assert.Contains(message, error.Message);
        Assert.Equal(1, CommandLine.Dispatch(args, new ILabCommand[] { command }));
        Assert.False(File.Exists(path));
    }

    private static ExperimentReport Report(params (string arm, string metric, double low, double high)[] summaries) =>
        ExperimentReport.Conclude(
            new FindingDefinition("test", "a claim", "A", "m", Array.Empty<string>(), "a rule", Margin: null),
            SmallPreset.Preset.RuleClusters, new[] { "a", "b" }, Array.Empty<RunMeasure>(),
            summaries.Select(s => new MetricSummary(s.arm, s.metric,
                new SeedInterval(3, (s.low + s.high) / 2, 0.1, s.low, s.high), 3)).ToList(),
            _ => new[] { new FindingVerdict("a claim", Outcome.Inconclusive, "a rule", "") }, 0);

    [Fact]
    public void RuleClustersVerdictFollowsItsRule()
    {
        Outcome V(double gapLow, double gapHigh, double probeLow, double probeHigh) => RuleClustersExperiment.Decide(
            Report(("supervised - shuffled", "silhouette_valid", gapLow, gapHigh),
                ("supervised", "probe_valid", probeLow, probeHigh), ("shuffled", "probe_valid", 0.4, 0.6)),
            chance: 0.5).Verdict;
        Assert.Equal(Outcome.Holds, V(0.1, 0.3, 0.8, 0.9));
        Assert.Equal(Outcome.Inconclusive, V(-0.1, 0.3, 0.8, 0.9));       // the gap's interval reaches 0
        Assert.Equal(Outcome.Inconclusive, V(0.1, 0.3, 0.45, 0.9));       // the probe's interval reaches chance
        Assert.Equal(Outcome.DoesNotHold, V(-0.3, 0.0, 0.8, 0.9));        // true labels add nothing over shuffled ones
        Assert.Equal(Outcome.DoesNotHold, V(0.1, 0.3, 0.3, 0.5));         // the rule is not readable
    }

    [Fact]
    public void InjectionVerdictFollowsItsRule()
    {
        Outcome V(double controlLow, double memLow, double memHigh, double kvLow, double kvHigh) =>
            InjectionExperiment.Decide(
                Report(("Query", "rule_control", controlLow, controlLow + 0.2),
                    ("Query - Memory", "rule_control", memLow, memHigh),
                    ("Query - KeyValue", "rule_control", kvLow, kvHigh)),
                new[] { "Memory", "KeyValue" }).Verdict;
        Assert.Equal(Outcome.Holds, V(0.1, 0.01, 0.05, 0.02, 0.04));
        // the rule may not reach the decoder at all
        Assert.Equal(Outcome.Inconclusive, V(-0.01, 0.01, 0.05, 0.02, 0.04));
        Assert.Equal(Outcome.Inconclusive, V(0.1, -0.01, 0.05, 0.02, 0.04));
        Assert.Equal(Outcome.DoesNotHold, V(0.1, 0.01, 0.05, -0.04, -0.02));    // KeyValue gives more control
    }

    [Fact]
    public void SampleSweepVerdictFollowsItsRule()
    {
        // Margin 0.01: "stops helping" needs the last gain's whole interval below it (equivalence), never a wide
        // interval.
        Outcome V(double slowdownLow, double lastLow, double lastHigh) => SampleSweepExperiment.Decide(Report(
            ("n=200 - n=100", "token_accuracy", 0.05, 0.15), ("n=400 - n=200", "token_accuracy", -0.05, 0.05),
            ("n=800 - n=400", "token_accuracy", lastLow, lastHigh),
            (SampleSweepExperiment.Slowdown, "token_accuracy", slowdownLow, slowdownLow + 0.1)),
            new[] { 100, 200, 400, 800 }).Verdict;
        Assert.Equal(Outcome.Holds, V(0.02, -0.004, 0.008));
        Assert.Equal(Outcome.Inconclusive, V(0.02, -0.02, 0.03));         // wide: reaches 0 but also above the margin
        // small last gain, but the gains do not clearly shrink
        Assert.Equal(Outcome.Inconclusive, V(-0.01, -0.004, 0.008));
        Assert.Equal(Outcome.DoesNotHold, V(0.02, 0.011, 0.03));          // still helping by more than the margin
        Assert.Equal(Outcome.Inconclusive, V(0.02, 0.005, 0.03));         // above 0, but not clearly above the margin
    }

    [Fact]
    public void PairedDifferencesAreTakenPerSeed()
    {
        var runs = new[]
        {
            new RunMeasure(1, "A", new Dictionary<string, double> { ["m"] = 0.5 }),
            new RunMeasure(1, "B", new Dictionary<string, double> { ["m"] = 0.2 }),
            new RunMeasure(2, "A", new Dictionary<string, double> { ["m"] = 0.9 }),
            new RunMeasure(2, "B", new Dictionary<string, double> { ["m"] = 0.7 }),
            new RunMeasure(3, "A", new Dictionary<string, double> { ["m"] = 0.1 }),
            new RunMeasure(3, "B", new Dictionary<string, double> { ["m"] = -0.3 }),
        };
        var summaries = ExperimentReport.Summarise(runs, new[] { ("A", "B", "m") });
        var diff = summaries.Single(s => s.Arm == "A - B").Interval;
        // Differences 0.3, 0.2, 0.4: mean 0.3, sd 0.1, half-width t(0.975, 2) * 0.1 / sqrt(3).
        Assert.Equal(0.3, diff.Mean, 12);
        Assert.Equal(0.1, diff.Sd, 12);
        Assert.Equal(0.3 - 4.302652729911275 * 0.1 / Math.Sqrt(3), diff.Low, 7);
        Assert.Equal(0.5, summaries.Single(s => s.Arm == "A").Interval.Mean, 12);
    }
}

using LatentRules.Analysis.ParameterSpace;
using LatentRules.Experiments;
using LatentRules.Lab.Commands;
using LatentRules.Models.Bert;
using LatentRules.Models.Qwen2;
using LatentRules.Models.Vae;
using LatentRules.Tests.Support;

namespace LatentRules.Tests.Experiments;

[Collection("torch")]
public sealed class TangentKernelExperimentTests
{
    // A tiny model and a few steps: these tests check the machinery and the controls, never the finding's outcome.
    private static readonly TangentKernelConfig Tiny = TinyExperiments.Kernel;

    private static string TempFile() => Path.Combine(Path.GetTempPath(), $"ntk-{Guid.NewGuid():N}.json");

    [Trait("Category", "Slow")]
    [Fact]
    public void ReportRoundTripsThroughJsonWithEverySeedAndControl()
    {
        var report = TangentKernelExperiment.Run(Tiny);
        Assert.Equal(new[] { (1, "trained"), (1, "untrained"), (2, "trained"), (2, "untrained") },
            report.Seeds.Select(s => (s.Seed, s.Encoder)));
        Assert.All(report.Seeds, s => Assert.Equal(
            new[] { "ffn", "attention", "attention.layer0", "attention.layer1", "ffn.layer0", "ffn.layer1" }.Order(),
            s.Groups.Select(g => g.Group).Order()));
        Assert.All(report.Seeds, s => Assert.Equal(16, s.Examples));
        Assert.Equal(TangentKernelReport.Rule, report.VerdictRule);
        Assert.Equal(ExperimentReport.LibraryVersionText, report.LibraryVersion);
        // The paired effect is trained - untrained per seed, and its sign-flip p is that of those two numbers.
        var d = report.Seeds.GroupBy(s => s.Seed)
            .Select(g => g.Single(s => s.Encoder == "trained").FfnMinusAttention
                         - g.Single(s => s.Encoder == "untrained").FfnMinusAttention).ToList();
        Assert.Equal(d.Average(), report.Paired.TrainedMinusUntrained.Mean, 12);
        Assert.Equal(SignFlipTest.PValue(d), report.Paired.SignFlipPValue);
        Assert.Equal(Outcome.Inconclusive, report.Verdict);         // two seeds: the sign-flip p is at least 1/4
        var table = report.SummaryTable();                      // trained, untrained, paired
        Assert.Equal(3, table.Rows.Count);
        Assert.Equal(Math.Round(report.Paired.SignFlipPValue, 4), (double)table["sign_flip_p"][2], 12);
        Assert.Equal(Math.Round(report.Trained.FfnMinusAttention.Mean, 4),
            (double)table["ffn_minus_attention_mean"][0], 12);

        string path = TempFile();
        try
        {
            report.Write(path);
            var back = TangentKernelReport.Read(path);
            Assert.Equal(report.Verdict, back.Verdict);
            Assert.Equal(report.Config.Seeds, back.Config.Seeds);
            Assert.Equal(report.Config with { Seeds = back.Config.Seeds, Vae = back.Config.Vae }, back.Config);
            Assert.Equal(report.Config.Vae.Encoder, back.Config.Vae.Encoder);
            Assert.Equal(report.Rules, back.Rules);
            Assert.Equal(report.Trained with { }, back.Trained);
            Assert.Equal(report.Untrained, back.Untrained);
            Assert.Equal(report.Paired, back.Paired);
            for (int s = 0; s < report.Seeds.Count; s++)
            {
                Assert.Equal(report.Seeds[s] with { Groups = back.Seeds[s].Groups, Cosines = back.Seeds[s].Cosines },
                    back.Seeds[s]);
                Assert.Equal(report.Seeds[s].Groups, back.Seeds[s].Groups);
                // the FFN and attention cosines the pooled nulls read (a combined report concludes from them)
                Assert.Equal(report.Seeds[s].Cosines!.Labels, back.Seeds[s].Cosines!.Labels);
                Assert.Equal(report.Seeds[s].Cosines!.Ffn, back.Seeds[s].Cosines!.Ffn);
                Assert.Equal(report.Seeds[s].Cosines!.Attention, back.Seeds[s].Cosines!.Attention);
            }
            string json = File.ReadAllText(path);
            foreach (var field in new[] { "\"library_version\"", "\"ffn_minus_attention\"", "\"p_value\"",
                         "\"verdict_rule\"", "\"output\": \"MeanJacobian\"", "\"sign_flip_p_value\"",
                         "\"difference_p_value\"", "\"verdict\": \"inconclusive\"" })
                Assert.Contains(field, json);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void ShuffledLabelsShowNoSeparationBeyondTheNull()
    {
        // Control: the kernel of a real (briefly trained) encoder on math, with the rule labels shuffled, is judged
        // against its permutation null: p-values must look like chance.
        var seed = TangentKernelExperiment.Prepare(Tiny with { Seeds = new[] { 3 } })[0];
        var (vae, _) = RunStore.TrainOrLoad(seed.Experiment, seed.Experiment.ModelConfig(Tiny.Vae),
            new LatentRules.Training.TrainerConfig { Steps = 2, Seed = 3 }, 2);
        using (vae)
        {
            var report = SeparationReport.Of(vae, seed.Sample, KernelOutput.MeanJacobian,
                seed.Experiment.Tokenizer.PadId, only: g => g is "ffn" or "attention");
            var rng = new LatentRules.Randomness.SeededRandom(3, "shuffle");
            var p = new List<double>();
            for (int draw = 0; draw < 20; draw++)
            {
                var labels = seed.Sample.Select(s => s.Rule!.Value).ToArray();
                rng.Shuffle(labels);
                p.AddRange(report.Groups.Select(g => PermutationNull.Of(g.Cosine, labels, 99, draw).PValue));
            }
            Assert.True(p.Count(x => x < 0.05) <= 6,
                $"{p.Count(x => x < 0.05)} of {p.Count} shuffled-label p-values below 0.05");
            Assert.InRange(p.Average(), 0.3, 0.7);
        }
    }

    [Theory]
    [InlineData("--task nosuch", "--task: unknown task 'nosuch'")]
    [InlineData("--seeds ,", "--seeds: give at least one seed")]
    [InlineData("--seeds 1,x", "--seeds: 'x' is not a whole number")]
    [InlineData("--per-rule 40 --size 200", "--per-rule 40: rule '")]
    [InlineData("--per-rule 4", "--per-rule must be at least 8")]
    [InlineData("--size 3", "--size 3 leaves the")]
    [InlineData("--output RuleLogit", "--output RuleLogit is not one function")]
    [InlineData("--lattent 8", "--lattent: unknown option")]
    [InlineData("--latent 0", "--latent must be at least 1")]
    [InlineData("--encoder-weights /no/such/bert", "--encoder-weights: /no/such/bert has no config.json")]
    [InlineData("--preset paper --encoder-weights none", "--decoder-weights: ")]
    [InlineData("--preset large", "--preset: unknown preset 'large'")]
    public void BadInputIsRefusedNamingTheOptionAndWritesNothing(string options, string message)
    {
        string path = TempFile();
        var args = new[] { "experiment", "tangent-kernel", "--steps", "1", "--encoder-steps", "0" }
            .Concat(options.Split(' ')).Concat(new[] { "--json", path }).ToArray();
        var output = new StringWriter();
        var command = new ExperimentCommand(output);
        var error = Assert.Throws<ArgumentException>(() =>
            command.Run(ParsedArgs.Parse(args.Skip(1).ToArray(), CommandLine.KnownFlags)));
        Assert.Contains(message, error.Message);
        Assert.Equal(1, CommandLine.Dispatch(args, new ILabCommand[] { command }));
        Assert.False(File.Exists(path));
        Assert.Contains("--json: give the file",
            Assert.Throws<ArgumentException>(() => command.Run(ParsedArgs.Parse(new[] { "tangent-kernel" }))).Message);
    }

    [Fact]
    public void IntervalIsStudentT()
    {
        // scipy.stats.t.ppf(0.975, df) for df = 1, 2, 4, 29
        Assert.Equal(12.706204736432095, StudentT.Quantile(0.975, 1), 6);
        Assert.Equal(4.302652729911275, StudentT.Quantile(0.975, 2), 7);
        Assert.Equal(2.7764451051977987, StudentT.Quantile(0.975, 4), 8);
        Assert.Equal(2.045229642132703, StudentT.Quantile(0.975, 29), 8);
        var i = SeedInterval.Of(new[] { 1.0, 2.0, 4.0 });
        double sd = Math.Sqrt((Math.Pow(1 - 7 / 3.0, 2) + Math.Pow(2 - 7 / 3.0, 2) + Math.Pow(4 - 7 / 3.0, 2)) / 2);
        Assert.Equal(7 / 3.0 - 4.302652729911275 * sd / Math.Sqrt(3), i.Low, 7);
        Assert.True(double.IsNaN(SeedInterval.Of(new[] { 1.0 }).Low));
    }

    [Fact]
    public void VerdictFollowsItsRule()
    {
        Outcome V(double low, double high, double signFlip, double differenceP) => TangentKernelReport.Decide(
            new PairedEffect(new SeedInterval(8, (low + high) / 2, 0.1, low, high), signFlip),
            new EncoderSummary("trained", new SeedInterval(8, 0, 0, 0, 0), 0, 0, 0.01, 0.5, differenceP));
        Assert.Equal(Outcome.Holds, V(0.02, 0.1, 0.004, 0.01));
        Assert.Equal(Outcome.Inconclusive, V(-0.01, 0.1, 0.004, 0.01));      // the paired interval reaches 0
        // 3 seeds: the sign-flip p cannot go below 1/8
        Assert.Equal(Outcome.Inconclusive, V(0.02, 0.1, 0.125, 0.01));
        Assert.Equal(Outcome.Inconclusive, V(0.02, 0.1, 0.004, 0.2));        // FFN - attention within its label null
        // training did not raise FFN over attention
        Assert.Equal(Outcome.DoesNotHold, V(-0.3, 0.0, 0.5, 0.01));
    }

    [Fact]
    public void SignFlipPValueIsTheShareOfSignAssignmentsAtLeastAsLarge()
    {
        // Hand-counted: the 8 sums of +-1 +-2 +-3 are 6, 4, 2, 0, 0, -2, -4, -6.
        Assert.Equal(1 / 8.0, SignFlipTest.PValue(new[] { 1.0, 2.0, 3.0 }));          // only the observed 6
        Assert.Equal(3 / 8.0, SignFlipTest.PValue(new[] { 1.0, -2.0, 3.0 }));         // 6, 4, 2 reach the observed 2
        Assert.Equal(1.0, SignFlipTest.PValue(new[] { -1.0, -2.0, -3.0 }));
        Assert.Equal(1 / 256.0, SignFlipTest.PValue(Enumerable.Range(1, 8).Select(i => (double)i).ToList()));
        Assert.Throws<ArgumentException>(() => SignFlipTest.PValue(Array.Empty<double>()));
        Assert.Throws<ArgumentException>(() => SignFlipTest.PValue(new[] { 1.0, double.NaN }));
    }

    [Fact]
    public void DifferenceNullPermutesBothKernelsTogether()
    {
        // Kernel a separates two rules perfectly, b not at all: a - b is far beyond its null; b - a is not.
        int[] labels = Enumerable.Range(0, 16).Select(i => i / 8).ToArray();
        var a = new double[16, 16];
        var b = new double[16, 16];
        for (int i = 0; i < 16; i++)
            for (int j = 0; j < 16; j++)
            {
                a[i, j] = labels[i] == labels[j] ? 1 : -1;
                b[i, j] = i == j ? 1 : 0;
            }
        var ab = PermutationNull.OfMeanDifference(new[] { (a, b, (IReadOnlyList<int>)labels) }, 500, seed: 3);
        var ba = PermutationNull.OfMeanDifference(new[] { (b, a, (IReadOnlyList<int>)labels) }, 500, seed: 3);
        Assert.True(ab.PValue < 0.05, $"p {ab.PValue}");
        Assert.True(ba.PValue > 0.5, $"p {ba.PValue}");
        Assert.Equal(2.0, ab.Observed, 12);                    // within 1 - across (-1) for a, 0 - 0 for b
    }
}

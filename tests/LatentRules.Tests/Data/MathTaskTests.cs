using LatentRules.Data;
using LatentRules.Data.Mathematics;
using LatentRules.Lab.Commands;
using LatentRules.Randomness;
using LatentRules.Tests.Data.Mathematics;
using LatentRules.Tests.Support;
using Xunit.Abstractions;

namespace LatentRules.Tests.Data;

/// <summary>The math task on the published derivations (the acceptance test) and on its own generated data.</summary>
public sealed class MathTaskTests(ITestOutputHelper output)
{
    private static string Reference(string name) => ReferenceData.Path(Path.Combine("math-derivations", name));

    private static readonly Lazy<List<ReasoningExample>> Published = new(() =>
        MathLines.ReadFile(Reference("train.txt")).Concat(MathLines.ReadFile(Reference("test.txt"))).ToList());

    [ReferenceDataFact]
    public void VerifierAcceptsThePublishedDerivations()
    {
        var task = new MathTask();
        var rejected = Published.Value.Where(e => !task.Verify(e, e.Conclusion).Correct).ToList();
        double rate = 1 - (double)rejected.Count / Published.Value.Count;
        output.WriteLine($"verified {Published.Value.Count - rejected.Count} of {Published.Value.Count} published " +
            $"derivations ({rate:P3})");
        foreach (var e in rejected.Take(20))
            output.WriteLine($"  rejected {MathLines.Format(e)}: {task.Verify(e, e.Conclusion).Reason}");
        Assert.True(rate >= 0.99, $"only {rate:P3} of the published derivations verify");
    }

    [ReferenceDataFact]
    public void VerifierRejectsCorruptedPublishedConclusions()
    {
        // Every 10th published derivation, each mutation kind. A mutant may be right by accident (swapping
        // two letters inside (a^b)^c, or changing a constant that vanishes under d/dv); those are few.
        var task = new MathTask();
        var rng = new SeededRandom(11, "mutations");
        int mutants = 0, accepted = 0;
        foreach (var e in Published.Value.Where((_, i) => i % 10 == 0))
        {
            var conclusion = LatexParser.Parse(e.Conclusion);
            foreach (var kind in MathMutations.All)
            {
                if (MathMutations.Mutate(conclusion, kind, rng) is not { } mutant) continue;
                mutants++;
                if (task.Verify(e, LatexPrinter.Print(mutant)).Correct) accepted++;
            }
        }
        output.WriteLine($"rejected {mutants - accepted} of {mutants} mutated conclusions");
        Assert.True(mutants > 10_000, $"only {mutants} mutants");
        Assert.True(accepted <= mutants / 500, $"{accepted} of {mutants} corrupted conclusions were accepted");
    }

    [ReferenceDataFact]
    public void PublishedConclusionsPrintBackIdentically()
    {
        // The printer writes the published style exactly. Premises were written by SymPy before evaluation, so
        // a few print in canonical form instead (Z Z^{w} is Z^{w + 1}).
        int conclusions = 0, premises = 0;
        foreach (var e in Published.Value)
        {
            if (LatexPrinter.Print(LatexParser.Parse(e.Conclusion)) == e.Conclusion) conclusions++;
            if (LatexPrinter.Print(LatexParser.Parse(e.Premises[0])) == e.Premises[0]) premises++;
        }
        output.WriteLine($"conclusions identical {conclusions}/{Published.Value.Count}, premises " +
            $"{premises}/{Published.Value.Count}");
        Assert.Equal(Published.Value.Count, conclusions);
        Assert.True(Published.Value.Count - premises <= 4,
            $"{Published.Value.Count - premises} premises print differently");
    }

    private static readonly MathTask ThreeRules = new(new[] { "differentiation", "integration", "expansion" });

    [Fact]
    public void GenerationIsDeterministicBalancedAndHoldsOutSkeletons()
    {
        var options = new GenerationOptions(Size: 1500, Seed: 5);
        var a = ThreeRules.Generate(options);
        var b = ThreeRules.Generate(options);
        Assert.Equal(Serialize(a), Serialize(b));
        Assert.NotEqual(Serialize(a), Serialize(ThreeRules.Generate(options with { Seed = 6 })));

        Assert.Equal((1200, 150, 150), (a.Train.Count, a.Valid.Count, a.Test.Count));
        foreach (var split in new[] { a.Train, a.Valid, a.Test })
            Assert.All(ThreeRules.Rules, r => Assert.Equal(split.Count / 3, split.Count(e => e.Rule == r)));

        var trainSkeletons = a.Train.Concat(a.Valid).Select(e => e.Field("skeleton")).ToHashSet();
        Assert.DoesNotContain(a.Test, e => trainSkeletons.Contains(e.Field("skeleton")));
        Assert.Empty(DatasetSummary.Of(a).Duplicates);
        Assert.Equal(1500, a.Train.Concat(a.Valid).Concat(a.Test).Select(e => e.Id).Distinct().Count());
    }

    [Fact]
    public void EveryGeneratedExampleVerifiesAndItsCorruptionsDoNot()
    {
        var splits = ThreeRules.Generate(new GenerationOptions(Size: 900, Seed: 2));
        var rng = new SeededRandom(2, "mutations");
        int mutants = 0, accepted = 0;
        foreach (var e in splits.Train.Concat(splits.Valid).Concat(splits.Test))
        {
            var verdict = ThreeRules.Verify(e, e.Conclusion);
            Assert.True(verdict.Correct, $"{MathLines.Format(e)}: {verdict.Reason}");
            foreach (var kind in MathMutations.All)
            {
                if (MathMutations.Mutate(LatexParser.Parse(e.Conclusion), kind, rng) is not { } mutant) continue;
                mutants++;
                if (ThreeRules.Verify(e, LatexPrinter.Print(mutant)).Correct) accepted++;
            }
        }
        output.WriteLine($"rejected {mutants - accepted} of {mutants} mutated generated conclusions");
        Assert.True(accepted <= mutants / 100, $"{accepted} of {mutants} corrupted conclusions were accepted");
    }

    [Fact]
    public void UnbalancedAndBadOptions()
    {
        var task = new MathTask();
        var splits = task.Generate(new GenerationOptions(Size: 400, Seed: 1, Balanced: false));
        Assert.Equal(400, splits.Train.Count + splits.Valid.Count + splits.Test.Count);
        Assert.NotEqual(160, splits.Train.Count(e => e.Rule == "integration"));   // drawn at random, not 1:1 (seed 1)
        Assert.Contains("ValidFraction", Assert.Throws<ArgumentOutOfRangeException>(() =>
            task.Generate(new GenerationOptions(ValidFraction: 0.6, TestFraction: 0.5))).Message);
        Assert.Contains("unknown math rule 'summation'",
            Assert.Throws<ArgumentException>(() => new MathTask(new[] { "summation" })).Message);
    }

    [ReferenceDataFact]
    public void DatasetsCommandGeneratesImportsAndVerifies()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"lr-datasets-{Guid.NewGuid():N}");
        try
        {
            Assert.Equal(0,
                CommandLine.Dispatch(new[] { "datasets", "generate", "--task", "math", "--size", "200", "--seed", "3",
                    "--out", dir, "--csv" }, CommandList.All));
            var loaded = DatasetFolder.Load(dir);
            Assert.Equal(Serialize(new MathTask().Generate(new GenerationOptions(Size: 200, Seed: 3))),
                Serialize(loaded));
            Assert.StartsWith("id,task,rule,premise1,conclusion,",
                File.ReadLines(Path.Combine(dir, "train.csv")).First());

            // A corrupted record is listed and the command fails; the count line comes last.
            var broken = loaded.Test.Select((e, i) => i == 0 ? e with { Conclusion = e.Conclusion + " + 1" } : e)
                .ToList();
            string file = Path.Combine(dir, "broken.jsonl");
            ReasoningJsonl.Write(file, broken);
            var writer = new StringWriter();
            int code = new DatasetsCommand(writer).Run(ParsedArgs.Parse(new[] { "verify", "--input", file }));
            string text = writer.ToString();
            Assert.Equal(1, code);
            Assert.StartsWith($"{broken[0].Id} ({broken[0].Rule}): ", text);
            Assert.EndsWith($"verified {broken.Count - 1} of {broken.Count}", text.TrimEnd());

            string imported = Path.Combine(dir, "published.jsonl");
            Assert.Equal(0,
                CommandLine.Dispatch(new[] { "datasets", "import", "--format", "math-lines", "--input",
                    Reference("test.txt"), "--out", imported }, CommandList.All));
            Assert.Equal(8000, ReasoningJsonl.Read(imported).Count);
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }

    private static string Serialize(DatasetSplits s) =>
        string.Join("\n", new[] { s.Train, s.Valid, s.Test }
            .Select(p => string.Join("\n", p.Select(e => e.Id + "|" + DatasetSummary.ContentKey(e)))));
}

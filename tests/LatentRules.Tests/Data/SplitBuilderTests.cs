using LatentRules.Data;
using LatentRules.Randomness;

namespace LatentRules.Tests.Data;

public sealed class SplitBuilderTests
{
    private static readonly string[] Rules = { "a", "b", "c" };

    private static ReasoningExample Example(string rule, int n, bool heldOut) =>
        new("", "toy", rule, new[] { $"{rule}{n}" }, heldOut ? "held" : "kept");

    [Fact]
    public void TrainAndValidComeFromTheInDistributionDrawsAndTestOnlyFromHeldOutOnes()
    {
        // A task that decides after drawing (as math does): a third of draws are held out, whatever was asked.
        SplitBuilder.Candidate? Draw(string rule, bool heldOut, SeededRandom rng)
        {
            int n = rng.Next(1_000_000);
            var e = Example(rule, n, n % 3 == 0);
            return new SplitBuilder.Candidate(e, n % 3 == 0, rule + n);
        }
        var s = SplitBuilder.Build("toy", Rules,
            new GenerationOptions(Size: 100, Seed: 2, ValidFraction: 0.2, TestFraction: 0.1), Draw);
        Assert.Equal((70, 20, 10), (s.Train.Count, s.Valid.Count, s.Test.Count));
        Assert.All(s.Train.Concat(s.Valid), e => Assert.Equal("kept", e.Conclusion));
        Assert.All(s.Test, e => Assert.Equal("held", e.Conclusion));
        // Balanced: 70 = 24 + 23 + 23 (the remainder to the first rules), likewise 20 and 10.
        Assert.Equal(new[] { 24, 23, 23 }, Rules.Select(r => s.Train.Count(e => e.Rule == r)));
        Assert.Equal(new[] { 7, 7, 6 }, Rules.Select(r => s.Valid.Count(e => e.Rule == r)));
        Assert.Equal(new[] { 4, 3, 3 }, Rules.Select(r => s.Test.Count(e => e.Rule == r)));
        Assert.Equal("toy-valid-000019", s.Valid[^1].Id);
        var all = s.Train.Concat(s.Valid).Concat(s.Test).ToList();
        Assert.Equal(all.Count, all.Select(e => e.Premises[0]).Distinct().Count());
        // Same seed, same splits; ids and order included.
        var again = SplitBuilder.Build("toy", Rules,
            new GenerationOptions(Size: 100, Seed: 2, ValidFraction: 0.2, TestFraction: 0.1), Draw);
        Assert.Equal(s.Test.Select(e => (e.Id, e.Premises[0])), again.Test.Select(e => (e.Id, e.Premises[0])));
    }

    [Fact]
    public void ATaskThatDrawsWhatItIsAskedForFillsTrainAndValidFirst()
    {
        var asked = new List<bool>();
        int counter = 0;
        SplitBuilder.Candidate? Draw(string rule, bool heldOut, SeededRandom _)
        {
            asked.Add(heldOut);
            var e = Example(rule, counter++, heldOut);
            return new SplitBuilder.Candidate(e, heldOut, e.Premises[0]);
        }
        var s = SplitBuilder.Build("toy", new[] { "a" }, new GenerationOptions(Size: 10, Seed: 1), Draw);
        // 8 + 1 kept, then 1 held out
        Assert.Equal(new[] { false, false, false, false, false, false, false, false, false, true }, asked);
        Assert.Single(s.Test);
    }

    [Fact]
    public void RunningOutOfDistinctExamplesNamesTheRuleAndTheOption()
    {
        SplitBuilder.Candidate? Draw(string rule, bool heldOut, SeededRandom _) =>
            // one distinct item per side
            new SplitBuilder.Candidate(Example(rule, 0, heldOut), heldOut, rule + heldOut);
        var e = Assert.Throws<InvalidOperationException>(() =>
            SplitBuilder.Build("toy", Rules, new GenerationOptions(Size: 30, Seed: 1), Draw, attemptsPerExample: 5));
        Assert.Contains("'a'", e.Message);
        Assert.Contains("Size", e.Message);
        Assert.Contains("ValidFraction (0.6) and TestFraction (0.5)", Assert.Throws<ArgumentOutOfRangeException>(() =>
            SplitBuilder.SplitSizes(new GenerationOptions(ValidFraction: 0.6, TestFraction: 0.5))).Message);
    }

    [Fact]
    public void HeldOutGroupsAreAStableShare()
    {
        var groups = Enumerable.Range(0, 4000).Select(i => $"g{i}").ToList();
        int held = groups.Count(g => SplitBuilder.IsHeldOutGroup(1, "toy", g, 0.2));
        Assert.InRange(held, 700, 900);                                       // 800 expected, sd ~25
        Assert.Equal(groups.Select(g => SplitBuilder.IsHeldOutGroup(1, "toy", g, 0.2)),
            groups.Select(g => SplitBuilder.IsHeldOutGroup(1, "toy", g, 0.2)));
        Assert.NotEqual(groups.Select(g => SplitBuilder.IsHeldOutGroup(1, "toy", g, 0.2)),
            groups.Select(g => SplitBuilder.IsHeldOutGroup(2, "toy", g, 0.2)));
    }
}

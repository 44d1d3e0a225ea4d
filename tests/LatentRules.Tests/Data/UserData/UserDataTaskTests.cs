using LatentRules.Data;
using LatentRules.Data.UserData;
using LatentRules.Tests.Support;

namespace LatentRules.Tests.Data.UserData;

/// <summary>The task over a user's file: what it says of itself, its seeded splits, its verifier.</summary>
public sealed class UserDataTaskTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"lr-userdata-{Guid.NewGuid():N}");

    public UserDataTaskTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>
    /// Rules x and y, <paramref name="groups"/> groups of <paramref name="perGroup"/> records each (none when 0
    /// groups: then 10 records per rule); record i of rule r in group "r-gG" reads "r gG i" -> "c r gG i". Each
    /// group holds one rule.
    /// </summary>
    private UserDataTask Load(int groups, int perGroup = 3, string name = "toy.jsonl")
    {
        var lines = new List<string>();
        foreach (var rule in new[] { "y", "x" })
            for (int g = 1; g <= Math.Max(groups, 1); g++)
                for (int i = 1; i <= (groups == 0 ? 10 : perGroup); i++)
                    lines.Add($"{{\"rule\":\"{rule}\",\"premises\":[\"{rule} g{g} {i}\"],\"conclusion\":" +
                        $"\"c {rule} g{g} {i}\"{(groups == 0 ? "" : $",\"group\":\"{rule}-g{g}\"")}}}");
        string path = Path.Combine(_folder, name);
        File.WriteAllLines(path, lines);
        return UserDataTask.Load(path);
    }

    private static IEnumerable<ReasoningExample> All(DatasetSplits s) => s.Train.Concat(s.Valid).Concat(s.Test);

    [Fact]
    public void TheTaskDescribesItsFile()
    {
        var task = Load(groups: 2);
        Assert.Equal("file:toy", task.Name);
        Assert.Equal(new[] { "x", "y" }, task.Rules);
        Assert.True(task.HasGroups);
        Assert.Equal(12, task.Examples.Count);
        Assert.Equal(24, task.Lexicon.Count);                  // 12 premises and 12 conclusions, all distinct
        Assert.Equal("c x g1 1", task.Lexicon[0]);             // ordinal order: "c ..." before "x ..." and "y ..."
        Assert.False(task.AnyRuleAppliesToAnyPremises);
        Assert.Null(task.RuleText(task.Examples[0]));
        Assert.Equal("toy-1", task.Examples[0].Id);
    }

    [Fact]
    public void WholeGroupsAreHeldOutForTest()
    {
        // Per rule: 12 examples in 4 groups of 3; target round(12 * 0.25) = 3, so the first group visited goes to
        // test (|3 - 3| < |0 - 3|) and no other (|6 - 3| is not below |3 - 3|). Valid: round(12 * 0.25) = 3.
        var task = Load(groups: 4);
        var s = task.Generate(new GenerationOptions(Seed: 1, ValidFraction: 0.25, TestFraction: 0.25));
        Assert.Equal((12, 6, 6), (s.Train.Count, s.Valid.Count, s.Test.Count));
        foreach (var rule in task.Rules)
            Assert.Equal((6, 3, 3), (s.Train.Count(e => e.Rule == rule), s.Valid.Count(e => e.Rule == rule),
                s.Test.Count(e => e.Rule == rule)));
        var testGroups = s.Test.Select(e => e.Field("group")).ToHashSet();
        Assert.Equal(2, testGroups.Count);                     // one whole group of each rule
        Assert.DoesNotContain(s.Train.Concat(s.Valid), e => testGroups.Contains(e.Field("group")));
        Assert.All(s.Test.GroupBy(e => (e.Rule, e.Field("group"))), g => Assert.Equal(3, g.Count()));
        // Every example in exactly one split.
        Assert.Equal(task.Examples.Select(e => e.Id).Order(), All(s).Select(e => e.Id).Order());
    }

    [Fact]
    public void WithoutGroupsEachRuleIsSplitOnItsOwn()
    {
        // Per rule: 10 examples; test round(10 * 0.2) = 2, valid round(10 * 0.1) = 1, train 7.
        var task = Load(groups: 0);
        Assert.False(task.HasGroups);
        var s = task.Generate(new GenerationOptions(Size: 5, Seed: 3, ValidFraction: 0.1, TestFraction: 0.2));
        Assert.Equal((14, 2, 4), (s.Train.Count, s.Valid.Count, s.Test.Count));   // Size is ignored
        foreach (var rule in task.Rules)
            Assert.Equal((7, 1, 2), (s.Train.Count(e => e.Rule == rule), s.Valid.Count(e => e.Rule == rule),
                s.Test.Count(e => e.Rule == rule)));
        Assert.Equal(task.Examples.Select(e => e.Id).Order(), All(s).Select(e => e.Id).Order());
    }

    [Fact]
    public void SameSeedSameSplitsAnotherSeedOthers()
    {
        foreach (int groups in new[] { 0, 4 })
        {
            var task = Load(groups, name: $"seeds{groups}.jsonl");
            var options = new GenerationOptions(Seed: 1, ValidFraction: 0.25, TestFraction: 0.25);
            string Ids(DatasetSplits s) => string.Join(",", s.Train.Concat(s.Valid).Concat(s.Test).Select(e => e.Id));
            string first = Ids(task.Generate(options));
            Assert.Equal(first, Ids(task.Generate(options)));                       // order included
            Assert.Equal(first, Ids(UserDataTask.Load(task.SourcePath).Generate(options)));
            Assert.NotEqual(first, Ids(task.Generate(options with { Seed = 2 })));
            var test1 = task.Generate(options).Test.Select(e => e.Id).Order();
            Assert.NotEqual(test1, task.Generate(options with { Seed = 2 }).Test.Select(e => e.Id).Order());
        }
    }

    [Fact]
    public void ARuleLeftWithoutTrainingExamplesIsRefusedByName()
    {
        // 2 groups of 3 per rule; target round(6 * 0.9) = 5: the first group (3) and then the second (6, |6 - 5| <
        // |3 - 5|) go to test, whichever comes first.
        var task = Load(groups: 2);
        var ex = Assert.Throws<InvalidDataException>(() =>
            task.Generate(new GenerationOptions(Seed: 1, ValidFraction: 0.05, TestFraction: 0.9)));
        Assert.StartsWith($"{task.SourcePath}: rule 'x' keeps no training examples: all its groups (x-g1, x-g2) " +
            "went to the test split (TestFraction 0.9, seed 1)", ex.Message);
    }

    [Fact]
    public void FractionsOutsideTheirRangeAreRefused()
    {
        var task = Load(groups: 2);
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            task.Generate(new GenerationOptions(ValidFraction: 0.5, TestFraction: 0.5)));
    }

    [Fact]
    public void VerifyAcceptsTheFilesConclusionsOnly()
    {
        var task = Load(groups: 2);
        var e = task.Examples.First(x => x.Premises[0] == "x g2 3");
        Assert.True(task.Verify(e, "c x g2 3").Correct);
        Assert.Equal("the conclusion of toy-12", task.Verify(e, "  c x g2 3 ").Reason);   // trimmed
        Assert.False(task.Verify(e, "c x g2 2").Correct);                    // another record's conclusion
        Assert.False(task.Verify(e, "C X G2 3").Correct);                    // ordinal
        Assert.False(task.Verify(e with { Rule = "y" }, "c x g2 3").Correct);   // the rule is part of the key
        // Split examples keep their ids and texts, so they verify too.
        var s = task.Generate(new GenerationOptions(Seed: 4, ValidFraction: 0.2, TestFraction: 0.4));
        Assert.All(All(s), x => Assert.True(task.Verify(x, x.Conclusion).Correct));
    }

    [Fact]
    public void TheShippedExampleHoldsOutOneTopic()
    {
        // 15 records per rule in 5 topics of 3: target round(1.5) = 2, so the first topic visited for the first
        // rule goes to test (|3 - 2| < |0 - 2|), then no other (|6 - 2| is not below |3 - 2|): 12 test records.
        // Valid: round(15 * 0.1) = 2 per rule.
        foreach (var file in new[] { "rules-example.jsonl", "rules-example.csv" })
        {
            var task = UserDataTask.Load(Path.Combine(RepoPaths.Root, "data", "examples", file));
            Assert.Equal("file:rules-example", task.Name);
            Assert.Equal(new[] { "disjunctive_syllogism", "hypothetical_syllogism", "modus_ponens", "modus_tollens" },
                task.Rules);
            var s = task.Generate(new GenerationOptions(Seed: 1));
            Assert.Equal((40, 8, 12), (s.Train.Count, s.Valid.Count, s.Test.Count));
            Assert.Single(s.Test.Select(e => e.Field("group")).Distinct());
        }
    }
}

using LatentRules.Randomness;

namespace LatentRules.Data.UserData;

/// <summary>
/// How a user's file is split, every record exactly once, deterministically from the seed. Targets per rule of n
/// examples are round(n * TestFraction) and round(n * ValidFraction) (.NET's rounding, halves to even).
/// <list type="bullet">
/// <item>test, with groups: for each rule in ordinal order, the groups holding its examples and not yet chosen are
///   visited in a seeded order, and a group goes to test, all of it (other rules' examples too), when that brings
///   the rule's test count closer to its target. A rule left with no example outside test is refused, named.</item>
/// <item>test, without groups: a seeded choice of the target count of each rule's examples (stratified), at most
///   all but one, so every rule keeps a training example.</item>
/// <item>valid: a seeded choice among each rule's remaining examples (same groups as train: in-distribution), at
///   most all but one, so a rule is never left without training examples.</item>
/// </list>
/// Examples keep their file ids; each split is in a seeded order.
/// </summary>
public static class UserDataSplits
{
    /// <summary>The splits of the task's file for these options (Size and Balanced ignored).</summary>
    public static DatasetSplits Split(UserDataTask task, GenerationOptions options)
    {
        SplitBuilder.SplitSizes(options with { Size = task.Examples.Count });   // checks the fractions
        var testGroups = task.HasGroups ? TestGroups(task, options) : null;
        var (train, valid, test) = (new List<ReasoningExample>(), new List<ReasoningExample>(),
            new List<ReasoningExample>());
        foreach (var rule in task.Rules)
        {
            var ofRule = task.Examples.Where(e => e.Rule == rule).ToList();
            int n = ofRule.Count;
            var rng = new SeededRandom(options.Seed, $"{task.Name}/split/{rule}");
            rng.Shuffle(ofRule);
            List<ReasoningExample> held, rest;
            if (testGroups is null)
            {
                int nTest = Math.Min((int)Math.Round(n * options.TestFraction), n - 1);
                (held, rest) = (ofRule.Take(nTest).ToList(), ofRule.Skip(nTest).ToList());
            }
            else
            {
                held = ofRule.Where(e => testGroups.Contains(Group(e))).ToList();
                rest = ofRule.Where(e => !testGroups.Contains(Group(e))).ToList();
                var groups = ofRule.Select(Group).Distinct().Order(StringComparer.Ordinal);
                if (rest.Count == 0)
                    throw new InvalidDataException($"{task.SourcePath}: rule '{rule}' keeps no training examples: " +
                        $"all its groups ({string.Join(", ", groups)}) went to the test split (TestFraction " +
                        $"{options.TestFraction}, seed {options.Seed}); give the rule more groups or lower " +
                        "TestFraction");
            }
            int nValid = Math.Min((int)Math.Round(n * options.ValidFraction), rest.Count - 1);
            test.AddRange(held);
            valid.AddRange(rest.Take(nValid));
            train.AddRange(rest.Skip(nValid));
        }
        return new DatasetSplits(Ordered(train, task, "train", options.Seed),
            Ordered(valid, task, "valid", options.Seed), Ordered(test, task, "test", options.Seed));
    }

    private static HashSet<string> TestGroups(UserDataTask task, GenerationOptions options)
    {
        var chosen = new HashSet<string>(StringComparer.Ordinal);
        var inTest = task.Rules.ToDictionary(r => r, _ => 0, StringComparer.Ordinal);
        foreach (var rule in task.Rules)
        {
            var ofRule = task.Examples.Where(e => e.Rule == rule).ToList();
            int target = (int)Math.Round(ofRule.Count * options.TestFraction);
            var groups = ofRule.Select(Group).Distinct().Where(g => !chosen.Contains(g))
                .Order(StringComparer.Ordinal).ToList();
            new SeededRandom(options.Seed, $"{task.Name}/groups/{rule}").Shuffle(groups);
            foreach (var g in groups)
            {
                int size = ofRule.Count(e => Group(e) == g);
                if (Math.Abs(inTest[rule] + size - target) >= Math.Abs(inTest[rule] - target)) continue;
                chosen.Add(g);
                foreach (var e in task.Examples.Where(e => Group(e) == g)) inTest[e.Rule]++;
            }
        }
        return chosen;
    }

    private static string Group(ReasoningExample e) => e.Field(RuleDataFile.GroupField)!;

    private static List<ReasoningExample> Ordered(List<ReasoningExample> split, UserDataTask task, string name,
        int seed)
    {
        new SeededRandom(seed, $"{task.Name}/{name}/order").Shuffle(split);
        return split;
    }
}

using LatentRules.Randomness;

namespace LatentRules.Data;

/// <summary>
/// Builds every task's three splits, each measuring one thing:
/// <list type="bullet">
/// <item>train: examples drawn from the task's in-distribution material;</item>
/// <item>valid: the in-distribution split, more draws from the same material and distribution as train (distinct
///   from train): "does the model learn the rules on data like its training data";</item>
/// <item>test: the generalisation split, drawn only from held-out material (terms, entities, expression skeletons)
///   that train and valid never use: "do the rules carry over to unseen material".</item>
/// </list>
/// Each rule draws from its own seeded stream. Rules get equal counts per split when
/// <see cref="GenerationOptions.Balanced"/> (the remainder to the first rules), otherwise counts drawn at random.
/// No content occurs twice in or across splits.
/// </summary>
public static class SplitBuilder
{
    /// <summary>
    /// One drawn example, whether it is made of held-out material, and the text that identifies its content.
    /// </summary>
    public readonly record struct Candidate(ReasoningExample Example, bool HeldOut, string ContentKey);

    /// <summary>
    /// Draws one candidate of a rule, from held-out material when <paramref name="heldOut"/> is asked (a task that
    /// can only tell afterwards, such as math by the premise's skeleton, draws freely and says which it made), or
    /// null when this attempt failed.
    /// </summary>
    public delegate Candidate? Draw(string rule, bool heldOut, SeededRandom rng);

    /// <summary>Example counts of the three splits, from the options.</summary>
    public static (int train, int valid, int test) SplitSizes(GenerationOptions o)
    {
        if (o.Size < 1) throw new ArgumentOutOfRangeException(nameof(o), $"Size must be at least 1, got {o.Size}");
        if (o.ValidFraction < 0 || o.TestFraction < 0 || o.ValidFraction + o.TestFraction >= 1)
            throw new ArgumentOutOfRangeException(nameof(o),
                $"ValidFraction ({o.ValidFraction}) and TestFraction ({o.TestFraction}) must be >= 0 and sum to less " +
                $"than 1");
        int valid = (int)Math.Round(o.Size * o.ValidFraction);
        int test = (int)Math.Round(o.Size * o.TestFraction);
        return (o.Size - valid - test, valid, test);
    }

    /// <summary>Builds the splits; ids are "{task}-{split}-{index:D6}" in a seeded shuffled order.</summary>
    public static DatasetSplits Build(string task, IReadOnlyList<string> rules, GenerationOptions o, Draw draw,
        int attemptsPerExample = 500)
    {
        if (rules.Count == 0) throw new ArgumentException($"{task}: no rules to generate");
        var (train, valid, test) = SplitSizes(o);
        var quota = RuleQuotas(task, rules, o, train, valid, test);
        var splits = (train: new List<ReasoningExample>(), valid: new List<ReasoningExample>(),
            test: new List<ReasoningExample>());
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in rules)
        {
            var rng = new SeededRandom(o.Seed, $"{task}/{rule}");
            var (needTrain, needValid, needTest) = quota[rule];
            int needKept = needTrain + needValid;
            var kept = new List<ReasoningExample>();   // train, then valid: one in-distribution stream
            var held = new List<ReasoningExample>();
            long attempts = 0, limit = (long)attemptsPerExample * (needKept + needTest + 1);
            while (kept.Count < needKept || held.Count < needTest)
            {
                if (++attempts > limit)
                    throw new InvalidOperationException(
                        $"{task}: after {limit:N0} attempts only {kept.Count} of {needKept} train/valid and " +
                        $"{held.Count} of {needTest} " +
                        $"held-out '{rule}' examples are distinct; ask for a smaller size (GenerationOptions.Size, " +
                        $"--size)");
                if (draw(rule, kept.Count >= needKept, rng) is not { } c || !seen.Add(c.ContentKey)) continue;
                var target = c.HeldOut ? held : kept;
                if (target.Count < (c.HeldOut ? needTest : needKept)) target.Add(c.Example);
            }
            splits.train.AddRange(kept.Take(needTrain));
            splits.valid.AddRange(kept.Skip(needTrain));
            splits.test.AddRange(held);
        }
        return new DatasetSplits(Finish(task, "train", splits.train, o.Seed),
            Finish(task, "valid", splits.valid, o.Seed),
            Finish(task, "test", splits.test, o.Seed));
    }

    /// <summary>
    /// Whether a group (an expression skeleton, say) is held out: a stable hash of seed, task and group, for tasks
    /// whose held-out material is known only once an example is drawn.
    /// </summary>
    public static bool IsHeldOutGroup(int seed, string task, string group, double share)
    {
        ulong h = SeededRandom.Fnv1a($"{seed}\u0001{task}\u0001{group}");
        h ^= h >> 33; h *= 0xff51afd7ed558ccdUL; h ^= h >> 33;   // mix the low bits before taking a fraction
        return (h % 1_000_000) < share * 1_000_000;
    }

    private static Dictionary<string, (int train, int valid, int test)> RuleQuotas(string task,
        IReadOnlyList<string> rules,
        GenerationOptions o, int train, int valid, int test)
    {
        var counts = rules.ToDictionary(r => r, _ => new int[3]);
        var totals = new[] { train, valid, test };
        var rng = new SeededRandom(o.Seed, $"{task}/quotas");
        for (int s = 0; s < 3; s++)
            for (int i = 0; i < totals[s]; i++)
                counts[o.Balanced ? rules[i % rules.Count] : rules[rng.Next(rules.Count)]][s]++;
        return counts.ToDictionary(kv => kv.Key, kv => (kv.Value[0], kv.Value[1], kv.Value[2]));
    }

    private static List<ReasoningExample> Finish(string task, string split, List<ReasoningExample> examples, int seed)
    {
        new SeededRandom(seed, $"{task}/{split}/order").Shuffle(examples);
        return examples.Select((e, i) => e with { Id = $"{task}-{split}-{i:D6}" }).ToList();
    }
}

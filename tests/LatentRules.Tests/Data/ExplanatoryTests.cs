using System.Text.RegularExpressions;
using LatentRules.Data;
using LatentRules.Data.Explanatory;
using LatentRules.Tests.Data.Explanatory;

namespace LatentRules.Tests.Data;

public sealed class ExplanatoryTests
{
    private static readonly ExplanatoryTask Task = new();
    private static readonly Lazy<DatasetSplits> Default = new(() => Task.Generate(new GenerationOptions()));

    private static IEnumerable<ReasoningExample> All(DatasetSplits s) => s.Train.Concat(s.Valid).Concat(s.Test);

    private static ReasoningExample Step(string rule, string p1, string p2, string conclusion) =>
        new("x", "explanatory", rule, new[] { p1, p2 }, conclusion);

    [Fact]
    public void KnowledgeBaseHasAFewHundredFactsOverSeveralTopics()
    {
        var kb = Task.Knowledge;
        Assert.True(kb.FactCount >= 400, $"{kb.FactCount} facts");
        // Several science topics: living things, materials, states of matter, earth science, energy, space,
        // instruments.
        foreach (var root in new[] { "living thing", "material", "matter", "earth material", "energy",
            "celestial object", "tool", "weather" })
            Assert.True(kb.Descendants(root).Count >= 4, root);
        Assert.Contains("mammal", kb.Ancestors("polar bear"));
        Assert.Contains("be warm-blooded", kb.InheritedProperties("polar bear"));
    }

    [Fact]
    public void SameSeedSameBytesOtherSeedOtherData()
    {
        string Serialise(GenerationOptions o)
        {
            string path = Path.Combine(Path.GetTempPath(), $"lr-exp-{Guid.NewGuid():N}.jsonl");
            try { ReasoningJsonl.Write(path, All(Task.Generate(o))); return File.ReadAllText(path); }
            finally { File.Delete(path); }
        }
        var o = new GenerationOptions(Size: 900, Seed: 3);
        string a = Serialise(o);
        Assert.Equal(a, Serialise(o));
        Assert.NotEqual(a, Serialise(o with { Seed = 4 }));
    }

    [Fact]
    public void DefaultSizeIsBalancedAndVaried()
    {
        var s = Default.Value;
        Assert.Equal(3000, All(s).Count());
        var counts = s.Train.GroupBy(e => e.Rule).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(Task.Rules.OrderBy(r => r), counts.Keys.OrderBy(r => r));
        Assert.True(counts.Values.Max() - counts.Values.Min() <= 1, string.Join(", ", counts));
        // Not a handful of sentences: most conclusions are distinct, subjects are many.
        Assert.True(s.Train.Select(e => e.Conclusion).Distinct().Count() > 1800);
        Assert.True(s.Train.Select(e => e.Field("key")).Distinct().Count() > 100);
        var unbalanced = Task.Generate(new GenerationOptions(Size: 1200, Balanced: false)).Train.GroupBy(e => e.Rule)
            .Select(g => g.Count()).ToList();
        Assert.True(unbalanced.Max() - unbalanced.Min() > 1);
    }

    [Fact]
    public void EveryExamplePassesItsOwnVerifier()
    {
        foreach (var e in All(Default.Value))
        {
            var v = Task.Verify(e, e.Conclusion);
            Assert.True(v.Correct, $"{e.Rule}: {e.Premises[0]} + {e.Premises[1]} => {e.Conclusion}: {v.Reason}");
        }
    }

    [Fact]
    public void VerifierRejectsCorruptedConclusionsOfEveryRule()
    {
        var kinds = new HashSet<string>();
        foreach (var group in All(Default.Value).GroupBy(e => e.Rule))
            foreach (var e in group.Take(25))
            {
                var mutations = ExplanatoryMutations.Of(e, Task.Knowledge);
                Assert.True(mutations.Count >= 5, $"{e.Rule}: {mutations.Count} mutations");
                foreach (var m in mutations)
                {
                    kinds.Add(m.Kind);
                    Assert.False(Task.Verify(e, m.Conclusion).Correct,
                        $"{e.Rule} {m.Kind}: '{m.Conclusion}' accepted for {e.Premises[0]} + {e.Premises[1]}");
                }
            }
        foreach (var k in new[] { "premise_copy", "negation", "truncated", "wrong_subject", "wrong_predicate",
            "reversed", "intermediate_effect" })
            Assert.Contains(k, kinds);
    }

    [Fact]
    public void VerifierAppliesTheRuleToThePremisesNotTheStoredConclusion()
    {
        var inherit =
            Step("property_inheritance", "a frog is a kind of amphibian", "an amphibian has moist skin", "whatever");
        Assert.True(Task.Verify(inherit, "A frog has moist skin.").Correct);
        Assert.False(Task.Verify(inherit, "an amphibian is a kind of frog").Correct);
        Assert.False(Task.Verify(Step("property_inheritance", "a frog is a kind of amphibian", "a reptile has scales",
            "x"), "a frog has scales").Correct);

        var conj = Step("conjunction", "a dog is warm-blooded", "a dog has hair", "x");
        Assert.True(Task.Verify(conj, "a dog has hair and is warm-blooded").Correct); // either order
        Assert.False(Task.Verify(conj, "a dog is warm-blooded").Correct);

        var cond = Step("if_then", "if a metal object is heated then that metal object will expand",
            "an iron nail is heated", "x");
        Assert.True(Task.Verify(cond, "the iron nail will expand").Correct);
        Assert.True(Task.Verify(cond, "An iron nail will expand.").Correct);
        // The instance must be a kind of the conditional's class.
        Assert.False(Task.Verify(Step("if_then", "if a metal object is heated then that metal object will expand",
            "a rubber ball is heated", "x"), "the rubber ball will expand").Correct);

        var chain =
            Step("causal_chaining", "deforestation causes soil erosion", "soil erosion causes muddy rivers", "x");
        Assert.True(Task.Verify(chain, "deforestation can cause muddy rivers").Correct);
        Assert.False(Task.Verify(chain, "muddy rivers can cause deforestation").Correct);
        Assert.False(Task.Verify(Step("causal_chaining", "deforestation causes soil erosion",
            "flooding causes muddy rivers", "x"), "deforestation can cause muddy rivers").Correct);

        var def =
            Step("predicate_substitution", "an owl is nocturnal", "being nocturnal means being active at night", "x");
        Assert.True(Task.Verify(def, "an owl is active at night").Correct);
        Assert.False(Task.Verify(def, "an owl is not active at night").Correct);

        var arg = Step("argument_substitution", "a biologist studies a frog", "a frog is a kind of amphibian", "x");
        Assert.True(Task.Verify(arg, "a biologist studies an amphibian").Correct);
        Assert.False(Task.Verify(arg, "a biologist studies a frog").Correct);
        Assert.False(Task.Verify(arg, "a frog studies an amphibian").Correct);
    }

    [Fact]
    public void HeldOutEntitiesNeverOccurInTrainOrValid()
    {
        var s = Default.Value;
        var heldOut = Task.HeldOut(new GenerationOptions().Seed);
        Assert.True(heldOut.Count >= 20, $"{heldOut.Count} held out");
        Assert.All(s.Train.Concat(s.Valid),
            e => Assert.DoesNotContain(e.Field("entities")!.Split('|'), heldOut.Contains));
        Assert.All(s.Test, e => Assert.Contains(e.Field("key")!, heldOut));
        // On the surface too: no held-out name appears as a phrase in any train or valid sentence.
        var trainText = string.Join(" | ", s.Train.Concat(s.Valid).SelectMany(e => e.Premises.Append(e.Conclusion)));
        foreach (var name in heldOut)
            Assert.False(Regex.IsMatch(trainText, $@"\b{Regex.Escape(name)}\b"), $"held-out '{name}' occurs in train");
        Assert.True(s.Test.Select(e => e.Field("key")).Distinct().Count() >= 15);
    }

    [Fact]
    public void NoDuplicatesWithinOrAcrossSplits()
    {
        var keys = All(Default.Value).Select(e => string.Join("\n", e.Premises.Append(e.Conclusion))).ToList();
        Assert.Equal(keys.Count, keys.Distinct().Count());
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void AskingForMoreThanTheKnowledgeBaseHoldsFailsClearly()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Task.Generate(new GenerationOptions(Size: 200_000)));
        Assert.Contains("ask for a smaller size", e.Message);
    }

    [Fact]
    public void KnowledgeBaseErrorsNameTheLine()
    {
        var e = Assert.Throws<InvalidDataException>(() =>
            KnowledgeBase.Parse("kind: dog | mammal\nprop: mammal\n", "kb.txt"));
        Assert.Contains("kb.txt:2: 'prop' needs 2 non-empty fields", e.Message);
        e = Assert.Throws<InvalidDataException>(() => KnowledgeBase.Parse("frame: animal | a vet sees x\n", "kb.txt"));
        Assert.Contains("kb.txt:1: a frame needs the slot {x}", e.Message);
        e = Assert.Throws<InvalidDataException>(() => KnowledgeBase.Parse("fact: something\n", "kb.txt"));
        Assert.Contains("kb.txt:1: unknown fact kind 'fact'", e.Message);
    }

    [Fact]
    public void TasksAndFormatsAreRegistered()
    {
        Assert.IsType<ExplanatoryTask>(ReasoningTasks.Get("explanatory"));
        Assert.IsType<LatentRules.Data.Syllogistic.SyllogisticTask>(ReasoningTasks.Get("syllogistic"));
        Assert.Contains("entailmentbank-csv", DatasetImporters.Formats);
        Assert.Contains("entailmentbank-jsonl", DatasetImporters.Formats);
    }
}

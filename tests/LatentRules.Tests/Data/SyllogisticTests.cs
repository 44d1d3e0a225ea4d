using System.Text.RegularExpressions;
using LatentRules.Data;
using LatentRules.Data.Syllogistic;
using LatentRules.Tests.Data.Syllogistic;

namespace LatentRules.Tests.Data;

public sealed class SyllogisticTests
{
    private static readonly SyllogisticTask Task = new();
    private static readonly Lazy<DatasetSplits> Default = new(() => Task.Generate(new GenerationOptions()));

    private static IEnumerable<ReasoningExample> All(DatasetSplits s) => s.Train.Concat(s.Valid).Concat(s.Test);

    private static VocabularyDomain Animals => Vocabulary.Domain("animals");

    private static ReasoningExample Example(string rule, string[] premises, string conclusion,
        string domain = "animals") =>
        new("x", "syllogistic", rule, premises, conclusion, new Dictionary<string, string> { ["domain"] = domain });

    [Fact]
    public void SameSeedSameBytesOtherSeedOtherData()
    {
        string Serialise(GenerationOptions o)
        {
            var s = Task.Generate(o);
            string path = Path.Combine(Path.GetTempPath(), $"lr-syl-{Guid.NewGuid():N}.jsonl");
            try
            {
                ReasoningJsonl.Write(path, All(s));
                var back = ReasoningJsonl.Read(path); // the records survive the JSONL round trip, fields included
                Assert.Equal(All(s).Select(e => e.Field("conclusion_form")),
                    back.Select(e => e.Field("conclusion_form")));
                return File.ReadAllText(path);
            }
            finally { File.Delete(path); }
        }
        var o = new GenerationOptions(Size: 800, Seed: 7);
        string a = Serialise(o), b = Serialise(o);
        Assert.Equal(a, b);
        Assert.NotEqual(a, Serialise(o with { Seed = 8 }));
    }

    [Fact]
    public void DefaultSizeIsBalancedOverAllRules()
    {
        var s = Default.Value;
        Assert.Equal(3000, s.Train.Count + s.Valid.Count + s.Test.Count);
        Assert.Equal(300, s.Test.Count);
        Assert.Equal(21, Task.Rules.Count);
        var counts = s.Train.GroupBy(e => e.Rule).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(Task.Rules.OrderBy(r => r), counts.Keys.OrderBy(r => r));
        Assert.True(counts.Values.Max() - counts.Values.Min() <= 1, string.Join(", ", counts));
        var unbalanced = Task.Generate(new GenerationOptions(Size: 2000, Balanced: false)).Train.GroupBy(e => e.Rule)
            .Select(g => g.Count()).ToList();
        Assert.True(unbalanced.Max() - unbalanced.Min() > 1);
        // Every domain and several variants per scheme occur.
        Assert.Equal(Vocabulary.Domains.Count, s.Train.Select(e => e.Field("domain")).Distinct().Count());
        Assert.True(s.Train.Where(e => e.Rule == "modus_tollens").Select(e => e.Field("variant")).Distinct()
            .Count() >= 4);
        var variants = s.Train.Select(e => e.Field("variant")).ToHashSet();
        foreach (var v in new[] { "de_morgan", "de_morgan_disjunction", "de_morgan_negated_conjunction",
                     "complex_subject", "complex_predicate", "property_predicate", "property_middle",
                     "universal_complex", "universal_negative", "conditional_negated" })
            Assert.Contains(v, variants);
    }

    [Fact]
    public void EveryExamplePassesItsOwnVerifier()
    {
        foreach (var e in All(Default.Value))
        {
            var v = Task.Verify(e, e.Conclusion);
            Assert.True(v.Correct,
                $"{e.Id} {e.Rule}/{e.Field("variant")}: {string.Join(" ", e.Premises)} => {e.Conclusion}: {v.Reason}");
        }
    }

    [Fact]
    public void VerifierRejectsCorruptedConclusionsOfEveryRule()
    {
        var byRule = All(Default.Value).GroupBy(e => e.Rule).ToDictionary(g => g.Key, g => g.Take(12).ToList());
        var kinds = new HashSet<string>();
        foreach (var rule in Task.Rules)
            foreach (var e in byRule[rule])
            {
                var mutations = SyllogisticMutations.Of(e);
                Assert.True(mutations.Count >= 4, $"{rule}: only {mutations.Count} mutations");
                foreach (var m in mutations)
                {
                    kinds.Add(m.Kind);
                    var v = Task.Verify(e, m.Conclusion);
                    Assert.False(v.Correct,
                        $"{rule}/{e.Field("variant")} {m.Kind}: '{m.Conclusion}' accepted for " +
                        $"{string.Join(" ", e.Premises)} => {e.Conclusion}");
                }
            }
        foreach (var k in new[] { "negation", "converse", "inverse", "dropped_negation", "contradictory",
            "wrong_quantifier", "swap_terms", "wrong_term", "other_individual", "premise_copy" })
            Assert.Contains(k, kinds);
    }

    [Fact]
    public void ClassicFallaciesAreRejected()
    {
        // Affirming the consequent and denying the antecedent: the example itself is invalid, so nothing is accepted.
        var affirming = Example("modus_ponens", new[] { "If Rex is a dog, then Rex is a mammal.", "Rex is a mammal." },
            "Rex is a dog.");
        Assert.False(Task.Verify(affirming, "Rex is a dog.").Correct);
        var denying = Example("modus_tollens", new[] { "If Rex is a dog, then Rex is a mammal.", "Rex is not a dog." },
            "Rex is not a mammal.");
        Assert.False(Task.Verify(denying, "Rex is not a mammal.").Correct);
        // Undistributed middle and an illicit conditionally-valid mood (Darapti needs existential import).
        var undistributed =
            Example("barbara", new[] { "All dogs are mammals.", "All cats are mammals." }, "All cats are dogs.");
        Assert.False(Task.Verify(undistributed, "All cats are dogs.").Correct);
        var darapti = Example("darapti", new[] { "All mammals are animals.", "All mammals are vertebrates." },
            "Some vertebrates are animals.");
        Assert.False(Task.Verify(darapti, "Some vertebrates are animals.").Correct);
    }

    [Fact]
    public void EquivalentRewordingsAreAccepted()
    {
        var celarent = Example("celarent", new[] { "No reptiles are mammals.", "All snakes are reptiles." },
            "No snakes are mammals.");
        Assert.True(Task.Verify(celarent, "Therefore, no mammals are snakes.").Correct); // E converts
        var barbara =
            Example("barbara", new[] { "All dogs are mammals.", "Every mammal has fur." }, "All dogs have fur.");
        Assert.True(Task.Verify(barbara, "every dog has fur").Correct);
        Assert.True(Task.Verify(barbara, "Everything that does not have fur is not a dog.").Correct); // contrapositive
        Assert.False(Task.Verify(barbara, "All dogs are mammals.").Correct); // follows, but a premise
        Assert.False(Task.Verify(barbara, "Some dogs have fur.").Correct); // no existential import
        Assert.False(Task.Verify(barbara, "Dogs bark loudly.").Correct); // outside the grammar
        var dilemma = Example("constructive_dilemma",
            new[] { "If Rex is a dog, then Rex has fur.", "If Rex is a bird, then Rex has feathers.",
                "Either Rex is a dog or Rex is a bird." },
            "Either Rex has fur or Rex has feathers.");
        Assert.True(Task.Verify(dilemma, "Either Rex has feathers or Rex has fur.").Correct);
        Assert.False(Task.Verify(dilemma, "Rex has fur.").Correct);
        Assert.False(Task.Verify(dilemma, "Either Bella has fur or Bella has feathers.").Correct);
        // No domain field: the domain is found from the premises.
        var unlabelled = new ReasoningExample("y", "syllogistic", "barbara",
            new[] { "All nurses are doctors.", "All doctors are pilots." }, "All nurses are pilots.");
        Assert.True(Task.Verify(unlabelled, "All nurses are pilots.").Correct);
        Assert.False(Task.Verify(unlabelled, "All pilots are nurses.").Correct);
    }

    [Fact]
    public void HeldOutTermsNeverOccurInTrainOrValid()
    {
        var s = Default.Value;
        var heldOut = Task.HeldOut(new GenerationOptions().Seed);
        foreach (var e in s.Train.Concat(s.Valid))
        {
            var h = heldOut[e.Field("domain")!];
            var held = h.Nouns.Concat(h.Properties).Concat(h.Individuals).ToHashSet();
            var terms = e.Field("terms")!.Split('|').Append(e.Field("individual") ?? "");
            Assert.DoesNotContain(terms, held.Contains);
        }
        foreach (var e in s.Test)
        {
            var pool = heldOut[e.Field("domain")!];
            var terms = e.Field("terms")!.Split('|');
            Assert.All(terms,
                t => Assert.True(pool.Nouns.Contains(t) || pool.Properties.Contains(t), $"{t} is not held out"));
            if (e.Field("individual") is { } who) Assert.Contains(who, pool.Individuals);
        }
        // And on the surface: a held-out noun (either number) is never a word sequence of a train sentence, unless
        // it is also part of a phrase that train may use (the noun "tree" inside the property "climb trees").
        static bool HasPhrase(string text, string phrase) => Regex.IsMatch(text, $@"\b{Regex.Escape(phrase)}\b");
        var trainText = string.Join(" | ", s.Train.SelectMany(e => e.Premises.Append(e.Conclusion))).ToLowerInvariant();
        var shared = Vocabulary.Domains.SelectMany(d => d.Nouns.Where(n => !heldOut[d.Name].Nouns.Contains(n.Singular))
            .SelectMany(n => new[] { n.Singular, n.Plural })
            .Concat(d.Properties.Except(heldOut[d.Name].Properties))
            .Concat(d.Individuals.Except(heldOut[d.Name].Individuals))).Select(x => x.ToLowerInvariant()).ToList();
        int checkedForms = 0;
        foreach (var d in Vocabulary.Domains)
            foreach (var n in d.Nouns.Where(n => heldOut[d.Name].Nouns.Contains(n.Singular)))
                foreach (var form in new[] { n.Singular, n.Plural }.Distinct())
                {
                    if (shared.Any(x => HasPhrase(x, form))) continue;
                    checkedForms++;
                    Assert.False(HasPhrase(trainText, form), $"held-out '{form}' occurs in train");
                }
        Assert.True(checkedForms > 40, $"only {checkedForms} held-out forms checked");
    }

    [Fact]
    public void NoDuplicatesWithinOrAcrossSplits()
    {
        var keys = All(Default.Value).Select(e => string.Join("\n", e.Premises.Append(e.Conclusion)).ToLowerInvariant())
            .ToList();
        Assert.Equal(keys.Count, keys.Distinct().Count());
        Assert.Equal(3000, All(Default.Value).Select(e => e.Id).Distinct().Count());
    }

    [Fact]
    public void SentencesAgreeAndRoundTrip()
    {
        var r = new SentenceRenderer(Animals);
        var p = new SentenceParser(Animals);
        Assert.Equal("All mice are mammals.",
            r.Sentence(new Categorical(Quantifier.A, new Atom("mouse"), new Atom("mammal"))));
        Assert.Equal("Every mouse is a mammal.",
            r.Sentence(new Categorical(Quantifier.A, new Atom("mouse"), new Atom("mammal")), every: true));
        Assert.Equal("Rex is an eagle.", r.Sentence(new Clause("Rex", new Atom("eagle"))));
        Assert.Equal("Some wolves do not have fur.",
            r.Sentence(new Categorical(Quantifier.O, new Atom("wolf"), new Atom("have fur"))));
        Assert.Equal("No foxes that live in burrows can fly.",
            r.Sentence(new Categorical(Quantifier.E, new Restricted(new Atom("fox"), new Atom("live in burrows")),
                new Atom("can fly"))));
        Assert.Equal("If Rex is not an owl, then Rex cannot fly.",
            r.Sentence(new Clause("Rex", new Implies(new Not(new Atom("owl")), new Not(new Atom("can fly"))))));
        foreach (var e in All(Default.Value).Take(600))
        {
            var d = Vocabulary.Domain(e.Field("domain")!);
            Assert.Equal(e.Field("conclusion_form"), new SentenceParser(d).Parse(e.Conclusion)?.ToString());
            Assert.Matches(new Regex("^[A-Z].*\\.$"), e.Conclusion);
            Assert.DoesNotContain(" a a", e.Conclusion + string.Join(" ", e.Premises));
            foreach (Match m in Regex.Matches(string.Join(" ", e.Premises.Append(e.Conclusion)).ToLowerInvariant(),
                @"\b(an?) (\w+)"))
                Assert.Equal(LatentRules.Data.Language.English.IndefiniteArticle(m.Groups[2].Value), m.Groups[1].Value);
        }
        Assert.Null(p.Parse("All dogs are purple."));
    }
}

using LatentRules.Data;
using LatentRules.Data.Explanatory;
using LatentRules.Data.Language;

namespace LatentRules.Tests.Data.Explanatory;

/// <summary>
/// Wrong conclusions for an explanatory example, for testing verifiers and as hard negatives: a premise
/// restated, the conclusion negated, another subject, another predicate, the chain reversed or stopped at
/// its middle link, the conclusion cut short. Built from the example's structural fields so that each reads fluently.
/// </summary>
public static class ExplanatoryMutations
{
    public static List<ConclusionMutation> Of(ReasoningExample example, KnowledgeBase kb)
    {
        var t = new ExplanatoryText(kb);
        var c = example.Conclusion;
        var result = new List<ConclusionMutation>
        {
            new("premise_copy", example.Premises[0]),
            new("premise_copy", example.Premises[1]),
            new("negation", Negate(c)),
            new("truncated", c[..c.LastIndexOf(' ')]),
        };
        string key = example.Field("key") ?? throw new ArgumentException("example has no key field");
        if (example.Rule == "causal_chaining")
        {
            string a = example.Field("cause")!, effect = example.Field("effect")!;
            result.Add(new("reversed", ExplanatoryText.CanCause(effect, a)));
            // Stopping at the middle link: true, but not what chaining the two premises gives.
            result.Add(new("intermediate_effect", ExplanatoryText.CanCause(a, example.Field("intermediate")!)));
            result.Add(new("wrong_subject",
                ExplanatoryText.CanCause(kb.Events.First(e => e != a && !kb.EffectsWithinTwo(e).Contains(effect)),
                    effect)));
        }
        else
        {
            // Another entity in place of the one the conclusion is about (the class, for argument substitution): one
            // that is neither its ancestor nor its descendant, so the step would not hold for it.
            string about = example.Rule == "argument_substitution" ? example.Field("class")! : key;
            var related = kb.Ancestors(about).Concat(kb.Descendants(about)).Append(about).ToHashSet();
            string other = kb.Nodes.First(n => !related.Contains(n) && !kb.MassNouns.Contains(n) && !c.Contains(n));
            result.Add(new("wrong_subject", ReplaceFirst(c, about, other, t)));
            if (example.Field("predicate") is { } p
                && example.Rule is "property_inheritance" or "predicate_substitution")
            {
                var subject = example.Field("subject")!;
                var inherited = kb.InheritedProperties(subject)
                    .Concat(kb.InheritedProperties(subject).SelectMany(kb.Definitions)).ToHashSet();
                var wrong = kb.Nodes.SelectMany(kb.OwnProperties).First(q => !inherited.Contains(q));
                result.Add(new("wrong_predicate", t.Fact(subject, wrong)));
            }
        }
        return result.Where(m => m.Conclusion != c).ToList();
    }

    private static string ReplaceFirst(string text, string node, string other, ExplanatoryText t)
    {
        foreach (var (from, to) in new[] { (t.Indefinite(node), t.Indefinite(other)),
            (t.Definite(node), t.Definite(other)) })
        {
            int i = text.IndexOf(from, StringComparison.Ordinal);
            if (i >= 0) return text[..i] + to + text[(i + from.Length)..];
        }
        return text;
    }

    /// <summary>"x is y" -> "x is not y", "x will y" -> "x will not y", "a can cause b" -> "a cannot cause b", else "x
    /// does not ...".</summary>
    private static string Negate(string s)
    {
        foreach (var (from, to) in new[] { (" is ", " is not "), (" will ", " will not "),
            (" can cause ", " cannot cause ") })
        {
            int i = s.IndexOf(from, StringComparison.Ordinal);
            if (i >= 0) return s[..i] + to + s[(i + from.Length)..];
        }
        return "it is not true that " + s;
    }
}

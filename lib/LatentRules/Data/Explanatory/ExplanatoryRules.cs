namespace LatentRules.Data.Explanatory;

/// <summary>
/// One explanation step before it becomes an example: premises, conclusion, the key entity (the one the
/// held-out split is about), every knowledge-base entity it mentions, and structural fields.
/// </summary>
public sealed record ExplanationStep(string Rule, string Premise1, string Premise2, string Conclusion, string Key,
    IReadOnlyList<string> Entities, IReadOnlyDictionary<string, string> Fields);

/// <summary>
/// The explanatory inference types (the task's rules) and every step the knowledge base allows for each:
/// - property_inheritance: "a dog is a kind of mammal" + "a mammal is warm-blooded" -> "a dog is warm-blooded"
///   (the paper's "argument substitution" example has this shape; here the label says what is inherited);
/// - argument_substitution: an object argument replaced by its hypernym: "a biologist studies a frog" +
///   "a frog is a kind of amphibian" -> "a biologist studies an amphibian";
/// - predicate_substitution: a predicate replaced by its definition: "a bat is nocturnal" + "being nocturnal
///   means being active at night" -> "a bat is active at night";
/// - conjunction: two facts about one subject aggregated: "... is warm-blooded" + "... has hair" -> "... is
///   warm-blooded and has hair";
/// - if_then: a conditional applied to an instance: "if a metal object is heated then that metal object will
///   expand" + "an iron nail is heated" -> "the iron nail will expand";
/// - causal_chaining: "deforestation causes soil erosion" + "soil erosion leads to muddy rivers" ->
///   "deforestation can cause muddy rivers".
/// </summary>
public static class ExplanatoryRules
{
    public static readonly IReadOnlyList<string> Names = new[]
    {
        "property_inheritance", "argument_substitution", "predicate_substitution", "conjunction", "if_then",
        "causal_chaining",
    };

    public static IEnumerable<ExplanationStep> Enumerate(string rule, KnowledgeBase kb)
    {
        var t = new ExplanatoryText(kb);
        Dictionary<string, string> F(params (string, string)[] kv) => kv.ToDictionary(p => p.Item1, p => p.Item2);
        switch (rule)
        {
            case "property_inheritance":
                foreach (var x in kb.Nodes)
                    foreach (var y in kb.Ancestors(x))
                        foreach (var p in kb.OwnProperties(y))
                            yield return new(rule, t.KindOf(x, y), t.Fact(y, p), t.Fact(x, p), x, new[] { x, y },
                                F(("subject", x), ("class", y), ("predicate", p)));
                break;
            case "argument_substitution":
                foreach (var frame in kb.Frames)
                {
                    var range = kb.Descendants(frame.Class).Append(frame.Class).ToHashSet();
                    foreach (var x in kb.Descendants(frame.Class))
                        foreach (var y in kb.Ancestors(x).Where(range.Contains))
                            yield return new(rule, t.FillFrame(frame, x), t.KindOf(x, y), t.FillFrame(frame, y), x,
                                new[] { x, y },
                                F(("object", x), ("class", y), ("frame", frame.Template)));
                }
                break;
            case "predicate_substitution":
                foreach (var x in kb.Nodes)
                    foreach (var p in kb.InheritedProperties(x))
                        foreach (var d in kb.Definitions(p))
                            yield return new(rule, t.Fact(x, p), ExplanatoryText.Definition(p, d), t.Fact(x, d), x,
                                new[] { x },
                                F(("subject", x), ("predicate", p), ("definition", d)));
                break;
            case "conjunction":
                foreach (var x in kb.Nodes)
                {
                    var props = kb.InheritedProperties(x);
                    for (int i = 0; i < props.Count; i++)
                        for (int j = 0; j < props.Count; j++)
                            if (i != j)
                                yield return new(rule, t.Fact(x, props[i]), t.Fact(x, props[j]),
                                    t.Conjunction(x, props[i], props[j]), x, new[] { x },
                                    F(("subject", x), ("predicate", props[i]), ("predicate2", props[j])));
                }
                break;
            case "if_then":
                foreach (var c in kb.Conditionals)
                    foreach (var x in kb.Descendants(c.Class))
                        yield return new(rule, t.IfThen(c), t.Fact(x, c.Condition), t.Consequence(x, c), x,
                            new[] { x, c.Class },
                            F(("subject", x), ("class", c.Class), ("condition", c.Condition), ("result", c.Result)));
                break;
            case "causal_chaining":
                foreach (var a in kb.Events)
                    foreach (var b in kb.EffectsWithinTwo(a))
                        foreach (var c in kb.EffectsWithinTwo(b).Where(c => c != a))
                        {
                            // The verb of each premise alternates by a stable hash so the text varies but stays
                            // reproducible.
                            bool lead1 = (a.Length + b.Length) % 3 == 0, lead2 = (b.Length + c.Length) % 3 == 1;
                            yield return new(rule, t.Causes(a, b, lead1), t.Causes(b, c, lead2),
                                ExplanatoryText.CanCause(a, c), a,
                                new[] { a, b, c }, F(("cause", a), ("intermediate", b), ("effect", c)));
                        }
                break;
            default:
                throw new ArgumentException($"unknown explanatory rule '{rule}'");
        }
    }
}

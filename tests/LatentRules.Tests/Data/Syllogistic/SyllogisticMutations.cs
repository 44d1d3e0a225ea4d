using LatentRules.Data;
using LatentRules.Data.Syllogistic;

namespace LatentRules.Tests.Data.Syllogistic;

/// <summary>
/// Wrong conclusions made from a syllogistic example by editing its conclusion's logical form and
/// rendering it again: the classic mistakes (converse, inverse, dropped negation, contradictory or too
/// strong/weak quantifier, swapped terms, another term, another individual, a premise restated). Used to
/// test verifiers and as hard negatives. Edits that would be equivalent (converting "No S are P") are not made.
/// </summary>
public static class SyllogisticMutations
{
    public static List<ConclusionMutation> Of(ReasoningExample example)
    {
        var domain =
            Vocabulary.Domain(example.Field("domain") ?? throw new ArgumentException("example has no domain field"));
        var parser = new SentenceParser(domain);
        var render = new SentenceRenderer(domain);
        var conclusion = parser.Parse(example.Conclusion)
            ?? throw new ArgumentException($"unreadable conclusion '{example.Conclusion}'");
        var used = (example.Field("terms") ?? "").Split('|').ToHashSet();
        var forms = new List<(string Kind, Statement Form)>();
        switch (conclusion)
        {
            case Clause c:
                forms.Add(("negation", c with { Formula = Formula.Negate(c.Formula) }));
                if (c.Formula is Implies i)
                {
                    forms.Add(("converse", c with { Formula = new Implies(i.Right, i.Left) }));
                    forms.Add(
                        ("inverse", c with { Formula = new Implies(Formula.Negate(i.Left), Formula.Negate(i.Right)) }));
                }
                if (c.Formula is Or o) forms.Add(("one_disjunct", c with { Formula = o.Left }));
                if (DropFirstNegation(c.Formula) is { } dropped)
                    forms.Add(("dropped_negation", c with { Formula = dropped }));
                forms.Add(("wrong_term", c with { Formula = ReplaceFirstAtom(c.Formula, domain, used) }));
                if (domain.Individuals.FirstOrDefault(n => n != c.Individual) is { } other)
                    forms.Add(("other_individual", c with { Individual = other }));
                break;
            case Categorical k:
                var contradictory = k.Quantifier switch
                {
                    Quantifier.A => Quantifier.O,
                    Quantifier.O => Quantifier.A,
                    Quantifier.E => Quantifier.I,
                    _ => Quantifier.E
                };
                forms.Add(("contradictory", k with { Quantifier = contradictory }));
                // Subalterns (A->I, E->O) need existential import; I->A and O->E overgeneralise.
                var wrong = k.Quantifier switch
                {
                    Quantifier.A => Quantifier.I,
                    Quantifier.E => Quantifier.O,
                    Quantifier.I => Quantifier.A,
                    _ => Quantifier.E
                };
                forms.Add(("wrong_quantifier", k with { Quantifier = wrong }));
                if (k.Quantifier is Quantifier.A or Quantifier.O)
                    forms.Add(("swap_terms", k with { Subject = k.Predicate, Predicate = k.Subject }));
                forms.Add(("wrong_term", k with { Predicate = ReplaceFirstAtom(k.Predicate, domain, used) }));
                if (DropFirstNegation(k.Subject) is { } bareSubject)
                    forms.Add(("dropped_negation", k with { Subject = bareSubject }));
                else if (DropFirstNegation(k.Predicate) is { } barePredicate)
                    forms.Add(("dropped_negation", k with { Predicate = barePredicate }));
                break;
        }
        var result = new List<ConclusionMutation>();
        foreach (var (kind, form) in forms)
        {
            string text;
            try { text = render.Sentence(form); }
            // not expressible in the grammar (e.g. "some" with a non-noun subject)
            catch (ArgumentException) { continue; }
            result.Add(new ConclusionMutation(kind, text));
        }
        result.Add(new ConclusionMutation("premise_copy", example.Premises[0]));
        return result;
    }

    private static Formula? DropFirstNegation(Formula f) => f switch
    {
        Not n => n.Inner,
        Implies i => DropFirstNegation(i.Left) is { } l ? i with { Left = l }
            : DropFirstNegation(i.Right) is { } r ? i with { Right = r } : null,
        Or o => DropFirstNegation(o.Left) is { } l ? o with { Left = l }
            : DropFirstNegation(o.Right) is { } r ? o with { Right = r } : null,
        And a => DropFirstNegation(a.Left) is { } l ? a with { Left = l }
            : DropFirstNegation(a.Right) is { } r ? a with { Right = r } : null,
        _ => null,
    };

    /// <summary>Replaces the first term by one of the same kind (noun or property) that the example does not
    /// use.</summary>
    private static Formula ReplaceFirstAtom(Formula f, VocabularyDomain d, HashSet<string> used)
    {
        bool done = false;
        Formula Walk(Formula g)
        {
            if (done) return g;
            switch (g)
            {
                case Atom a:
                    done = true;
                    var pool = d.IsNoun(a.Term) ? d.Nouns.Select(n => n.Singular) : d.Properties;
                    return new Atom(pool.First(t => t != a.Term && !used.Contains(t)));
                case Not n: return new Not(Walk(n.Inner));
                case And x: return new And(Walk(x.Left), Walk(x.Right));
                case Or x: return new Or(Walk(x.Left), Walk(x.Right));
                case Implies x: return new Implies(Walk(x.Left), Walk(x.Right));
                case Restricted r: return new Restricted((Atom)Walk(r.Noun), r.Clause);
                default: return g;
            }
        }
        return Walk(f);
    }
}

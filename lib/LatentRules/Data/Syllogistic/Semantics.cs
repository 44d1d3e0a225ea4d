namespace LatentRules.Data.Syllogistic;

/// <summary>
/// Decides entailment between statements by checking every model. A model says which Venn regions over the
/// mentioned terms are inhabited and where the one named individual lives. Universal statements empty a
/// region set, existential ones need an inhabited region, clauses place the individual. Since those
/// constraints interact only through which regions are allowed, satisfiability is decided region by region
/// (2^terms regions) instead of over all 2^(2^terms) models. Boolean semantics: "All S are P" does not
/// claim that S exists, so only the 15 unconditionally valid moods are valid here.
/// </summary>
public static class Semantics
{
    private enum Kind { Universal, Existential, AboutIndividual }

    private readonly record struct Constraint(Kind Kind, Formula Region);

    private static Constraint ToConstraint(Statement s) => s switch
    {
        Categorical { Quantifier: Quantifier.A } c =>
            new(Kind.Universal, new And(c.Subject, Formula.Negate(c.Predicate))),
        Categorical { Quantifier: Quantifier.E } c => new(Kind.Universal, new And(c.Subject, c.Predicate)),
        Categorical { Quantifier: Quantifier.I } c => new(Kind.Existential, new And(c.Subject, c.Predicate)),
        Categorical { Quantifier: Quantifier.O } c =>
            new(Kind.Existential, new And(c.Subject, Formula.Negate(c.Predicate))),
        Clause c => new(Kind.AboutIndividual, c.Formula),
        _ => throw new ArgumentException($"unknown statement {s}"),
    };

    private static Constraint Negated(Constraint c) => c.Kind switch
    {
        Kind.Universal => new(Kind.Existential, c.Region),
        Kind.Existential => new(Kind.Universal, c.Region),
        _ => new(Kind.AboutIndividual, Formula.Negate(c.Region)),
    };

    /// <summary>True when every model of the premises is a model of the conclusion.</summary>
    public static bool Entails(IEnumerable<Statement> premises, Statement conclusion)
    {
        var constraints = premises.Select(ToConstraint).ToList();
        constraints.Add(Negated(ToConstraint(conclusion)));
        return !Satisfiable(constraints);
    }

    /// <summary>True when each statement entails the other.</summary>
    public static bool Equivalent(Statement a, Statement b) =>
        Entails(new[] { a }, b) && Entails(new[] { b }, a);

    private static bool Satisfiable(List<Constraint> constraints)
    {
        var terms = constraints.SelectMany(c => c.Region.Terms()).Distinct().ToArray();
        if (terms.Length > 16) throw new ArgumentException("too many terms for the model check");
        var index = terms.Select((t, i) => (t, i)).ToDictionary(p => p.t, p => p.i);
        var allowed = new List<int>();
        for (int region = 0; region < 1 << terms.Length; region++)
        {
            int r = region;
            bool Member(string t) => (r >> index[t] & 1) == 1;
            if (constraints.All(c => c.Kind != Kind.Universal || !c.Region.Eval(Member))) allowed.Add(region);
        }
        bool Holds(int region, Formula f) => f.Eval(t => (region >> index[t] & 1) == 1);
        foreach (var c in constraints.Where(c => c.Kind == Kind.Existential))
            if (!allowed.Any(r => Holds(r, c.Region))) return false;
        var aboutIndividual = constraints.Where(c => c.Kind == Kind.AboutIndividual).ToList();
        return aboutIndividual.Count == 0 || allowed.Any(r => aboutIndividual.All(c => Holds(r, c.Region)));
    }
}

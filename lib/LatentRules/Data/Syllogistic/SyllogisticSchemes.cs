using LatentRules.Randomness;

namespace LatentRules.Data.Syllogistic;

/// <summary>
/// One instance of a scheme in logical form: the premises, the conclusion and which variant was drawn.
/// </summary>
public sealed record SchemeInstance(IReadOnlyList<Statement> Premises, Statement Conclusion, string Variant);

/// <summary>
/// The inference schemes (the task's rules) and their variants. Propositional schemes speak about one named
/// individual ("if Rex is a dog, then Rex is a mammal"); their "universal" variants use a categorical premise
/// instead ("All dogs are mammals. Rex is a dog. Therefore, Rex is a mammal": generalised modus ponens).
/// Variants: negated literals ("negated"), complex terms with relative clauses ("complex"), De Morgan forms
/// of a negated conjunction ("de_morgan_*"), properties as predicates ("property_*").
/// </summary>
internal static class SyllogisticSchemes
{
    public static readonly IReadOnlyList<string> PropositionalRules = new[]
    {
        "modus_ponens", "modus_tollens", "contraposition", "hypothetical_syllogism", "disjunctive_syllogism",
        "constructive_dilemma",
    };

    public static IReadOnlyList<string> Rules { get; } =
        PropositionalRules.Concat(CategoricalMood.All.Select(m => m.Name)).ToList();

    public static SchemeInstance Make(string rule, TermDraw draw, SeededRandom rng)
    {
        string x = draw.Individual();
        Clause C(Formula f) => new(x, f);
        Formula Neg(Formula f) => Formula.Negate(f);
        switch (rule)
        {
            case "modus_ponens":
                switch (rng.Next(4))
                {
                    case 0:
                    {
                        var (s, p) = (draw.Noun(), draw.Predicate());
                        return new(new Statement[] { new Categorical(Quantifier.A, s, p), C(s) }, C(p), "universal");
                    }
                    case 1:
                    {
                        var (s, p) = (draw.Complex(), draw.Predicate());
                        return new(new Statement[] { new Categorical(Quantifier.A, s, p), C(s) }, C(p),
                            "universal_complex");
                    }
                    case 2:
                    {
                        var (s, p) = (draw.Noun(), draw.Predicate());
                        return new(new Statement[] { new Categorical(Quantifier.E, s, p), C(s) }, C(Neg(p)),
                            "universal_negative");
                    }
                    default:
                    {
                        bool na = rng.NextBool(0.4), nc = rng.NextBool(0.4);
                        var (p, q) = (draw.Literal(na), draw.Literal(nc));
                        return new(new Statement[] { C(new Implies(p, q)), C(p) }, C(q),
                            na || nc ? "conditional_negated" : "conditional");
                    }
                }
            case "modus_tollens":
                switch (rng.Next(4))
                {
                    case 0:
                    {
                        var (s, p) = (draw.Noun(), draw.Predicate());
                        return new(new Statement[] { new Categorical(Quantifier.A, s, p), C(Neg(p)) }, C(Neg(s)),
                            "universal");
                    }
                    case 1:
                    {
                        var (p, q, r) = (draw.Literal(false), draw.Literal(false), draw.Literal(false));
                        bool disjunction = rng.NextBool(0.5);
                        Formula denial = disjunction ? new Or(Neg(q), Neg(r)) : new Not(new And(q, r));
                        return new(new Statement[] { C(new Implies(p, new And(q, r))), C(denial) }, C(Neg(p)),
                            disjunction ? "de_morgan_disjunction" : "de_morgan_negated_conjunction");
                    }
                    default:
                    {
                        bool na = rng.NextBool(0.4), nc = rng.NextBool(0.4);
                        var (p, q) = (draw.Literal(na), draw.Literal(nc));
                        return new(new Statement[] { C(new Implies(p, q)), C(Neg(q)) }, C(Neg(p)),
                            na || nc ? "conditional_negated" : "conditional");
                    }
                }
            case "contraposition":
                if (rng.NextBool(0.35))
                {
                    var (s, p) = (rng.NextBool(0.3) ? (Formula)draw.Complex() : draw.Noun(), draw.Predicate());
                    return new(new Statement[] { new Categorical(Quantifier.A, s, p) },
                        new Categorical(Quantifier.A, Neg(p), Neg(s)),
                        s is Restricted ? "universal_complex" : "universal");
                }
                else
                {
                    bool na = rng.NextBool(0.4), nc = rng.NextBool(0.4);
                    var (p, q) = (draw.Literal(na), draw.Literal(nc));
                    return new(new Statement[] { C(new Implies(p, q)) }, C(new Implies(Neg(q), Neg(p))),
                        na || nc ? "conditional_negated" : "conditional");
                }
            case "hypothetical_syllogism":
            {
                bool negated = rng.NextBool(0.4);
                var (p, q, r) = (draw.Literal(negated && rng.NextBool(0.5)), draw.Literal(negated && rng.NextBool(0.5)),
                    draw.Literal(negated && rng.NextBool(0.5)));
                return new(new Statement[] { C(new Implies(p, q)), C(new Implies(q, r)) }, C(new Implies(p, r)),
                    p is Not || q is Not || r is Not ? "conditional_negated" : "conditional");
            }
            case "disjunctive_syllogism":
            {
                bool negated = rng.NextBool(0.35);
                var (p, q) = (draw.Literal(negated), draw.Literal(false));
                if (rng.NextBool(0.25))
                {
                    // De Morgan: "it is not the case that both not-p and not-q" says "p or q".
                    return new(new Statement[] { C(new Not(new And(Neg(p), Neg(q)))), C(Neg(p)) }, C(q), "de_morgan");
                }
                return rng.NextBool(0.5)
                    ? new(new Statement[] { C(new Or(p, q)), C(Neg(p)) }, C(q),
                        negated ? "negated_disjunct_first" : "eliminate_first")
                    : new(new Statement[] { C(new Or(p, q)), C(Neg(q)) }, C(p),
                        negated ? "negated_disjunct_second" : "eliminate_second");
            }
            case "constructive_dilemma":
            {
                bool negated = rng.NextBool(0.35);
                var (p, q, r, s) = (draw.Literal(false), draw.Literal(negated && rng.NextBool(0.5)),
                    draw.Literal(false), draw.Literal(negated && rng.NextBool(0.5)));
                return new(new Statement[] { C(new Implies(p, q)), C(new Implies(r, s)), C(new Or(p, r)) },
                    C(new Or(q, s)),
                    q is Not || s is Not ? "negated" : "plain");
            }
        }
        var mood = CategoricalMood.All.FirstOrDefault(m => m.Name == rule)
            ?? throw new ArgumentException($"unknown syllogistic rule '{rule}'");
        return Categorical(mood, draw, rng);
    }

    private static SchemeInstance Categorical(CategoricalMood mood, TermDraw draw, SeededRandom rng)
    {
        // Variant: plain nouns; a complex minor term S or major term P ("dogs that live in water"); a property as
        // major term P (figures 1, 3) or as middle term M (figure 2).
        var options = new List<string> { "plain", "complex_subject", "complex_predicate" };
        if (mood.MajorTermOnlyPredicate) options.Add("property_predicate");
        if (mood.Figure == 2) options.Add("property_middle");
        string variant = options[rng.Next(options.Count)];
        Formula s = variant == "complex_subject" ? draw.Complex() : draw.Noun();
        Formula m = variant == "property_middle" ? draw.Property() : draw.Noun();
        Formula p = variant switch
        {
            "property_predicate" => draw.Property(),
            "complex_predicate" => draw.Complex(),
            _ => draw.Noun()
        };
        var (major, minor) = mood.Figure switch
        {
            1 => (new Categorical(mood.Major, m, p), new Categorical(mood.Minor, s, m)),
            2 => (new Categorical(mood.Major, p, m), new Categorical(mood.Minor, s, m)),
            3 => (new Categorical(mood.Major, m, p), new Categorical(mood.Minor, m, s)),
            _ => (new Categorical(mood.Major, p, m), new Categorical(mood.Minor, m, s)),
        };
        return new(new Statement[] { major, minor }, new Categorical(mood.Conclusion, s, p), variant);
    }
}

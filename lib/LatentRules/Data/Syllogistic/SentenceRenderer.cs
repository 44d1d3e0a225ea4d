using LatentRules.Data.Language;

namespace LatentRules.Data.Syllogistic;

/// <summary>
/// Writes statements as English sentences with agreement: plural classes ("All dogs are mammals"),
/// a/an ("Rex is an eagle"), conjugated properties ("Rex has fur", "No cats have gills", "Some cats do not
/// have gills"). <see cref="SentenceParser"/> reads every sentence written here back into the same form.
/// </summary>
public sealed class SentenceRenderer
{
    private readonly VocabularyDomain _domain;
    private readonly Dictionary<string, Noun> _nouns;

    public SentenceRenderer(VocabularyDomain domain)
    {
        _domain = domain;
        _nouns = domain.Nouns.ToDictionary(n => n.Singular);
    }

    /// <summary>
    /// The sentence, capitalised and with a full stop. <paramref name="every"/> writes A statements as "Every S is a
    /// P".
    /// </summary>
    public string Sentence(Statement s, bool every = false) => English.Capitalize(Text(s, every)) + ".";

    private string Text(Statement s, bool every) => s switch
    {
        Categorical { Quantifier: Quantifier.A } c when !IsNounPhrase(c.Subject) =>
            $"everything that {PredSg(c.Subject)} {PredSg(c.Predicate)}",
        Categorical { Quantifier: Quantifier.A } c when every => $"every {NounSg(c.Subject)} {PredSg(c.Predicate)}",
        Categorical { Quantifier: Quantifier.A } c => $"all {NounPl(c.Subject)} {PredPl(c.Predicate)}",
        Categorical { Quantifier: Quantifier.E } c => $"no {NounPl(c.Subject)} {PredPl(c.Predicate)}",
        Categorical { Quantifier: Quantifier.I } c => $"some {NounPl(c.Subject)} {PredPl(c.Predicate)}",
        Categorical { Quantifier: Quantifier.O } c => $"some {NounPl(c.Subject)} {PredPl(Formula.Negate(c.Predicate))}",
        Clause c => ClauseText(c.Individual, c.Formula),
        _ => throw new ArgumentException($"cannot render {s}"),
    };

    /// <summary>
    /// Every term of the domain in each form the sentences write it: individuals, nouns singular and plural, and
    /// properties conjugated singular and plural, plain and negated ("has fur", "have fur", "does not have fur", ...).
    /// </summary>
    public IEnumerable<string> TermForms() => _domain.Individuals
        .Concat(_domain.Nouns.SelectMany(n => new[] { n.Singular, n.Plural }))
        .Concat(_domain.Properties.SelectMany(p => new[] { false, true }.SelectMany(plural => new[]
            { English.Conjugate(p, plural), English.Conjugate(p, plural, negated: true) })));

    private bool IsNounPhrase(Formula f) => f is Restricted || f is Atom a && _nouns.ContainsKey(a.Term);

    private string ClauseText(string who, Formula f) => f switch
    {
        Implies i => $"if {ClauseText(who, i.Left)}, then {ClauseText(who, i.Right)}",
        Or o => $"either {ClauseText(who, o.Left)} or {ClauseText(who, o.Right)}",
        And a => $"both {ClauseText(who, a.Left)} and {ClauseText(who, a.Right)}",
        Not { Inner: And or Or or Implies } n => $"it is not the case that {ClauseText(who, n.Inner)}",
        _ => $"{who} {PredSg(f)}",
    };

    private string NounSg(Formula f) => f switch
    {
        Atom a => Noun(a).Singular,
        Restricted r => $"{Noun(r.Noun).Singular} that {PredSg(r.Clause)}",
        _ => throw new ArgumentException($"{f} is not a noun phrase"),
    };

    private string NounPl(Formula f) => f switch
    {
        Atom a => Noun(a).Plural,
        Restricted r => $"{Noun(r.Noun).Plural} that {PredPl(r.Clause)}",
        _ => throw new ArgumentException($"{f} is not a noun phrase"),
    };

    /// <summary>
    /// Singular predicate: "is a mammal", "is not a dog that lives in water", "has fur", "does not have fur".
    /// </summary>
    private string PredSg(Formula f) => f switch
    {
        Not n when IsNounPhrase(n.Inner) => $"is not {English.WithArticle(NounSg(n.Inner))}",
        Not { Inner: Atom a } => English.Conjugate(a.Term, plural: false, negated: true),
        _ when IsNounPhrase(f) => $"is {English.WithArticle(NounSg(f))}",
        Atom a => English.Conjugate(a.Term, plural: false),
        _ => throw new ArgumentException($"{f} is not a predicate"),
    };

    private string PredPl(Formula f) => f switch
    {
        Not n when IsNounPhrase(n.Inner) => $"are not {NounPl(n.Inner)}",
        Not { Inner: Atom a } => English.Conjugate(a.Term, plural: true, negated: true),
        _ when IsNounPhrase(f) => $"are {NounPl(f)}",
        Atom a => English.Conjugate(a.Term, plural: true),
        _ => throw new ArgumentException($"{f} is not a predicate"),
    };

    private Noun Noun(Atom a) => _nouns.TryGetValue(a.Term, out var n) ? n
        : throw new ArgumentException($"'{a.Term}' is not a noun of domain {_domain.Name}");
}

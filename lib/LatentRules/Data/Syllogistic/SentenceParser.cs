using LatentRules.Data.Language;

namespace LatentRules.Data.Syllogistic;

/// <summary>
/// Reads a sentence of one vocabulary domain back into its logical form, so that the verifier judges what a
/// candidate says rather than how it is spelled. Case, a leading "Therefore," / "So," / "Hence," and the
/// final full stop are ignored. Returns null for anything outside the grammar that
/// <see cref="SentenceRenderer"/> writes (or names an individual other than the premises' one: see the verifier).
/// </summary>
public sealed class SentenceParser
{
    private readonly Dictionary<string, string> _nounSg = new(), _nounPl = new(), _individuals = new();
    private readonly Dictionary<string, Formula> _propSg = new(), _propPl = new();

    public SentenceParser(VocabularyDomain domain)
    {
        foreach (var n in domain.Nouns)
        {
            _nounSg[n.Singular.ToLowerInvariant()] = n.Singular;
            _nounPl[n.Plural.ToLowerInvariant()] = n.Singular;
        }
        foreach (var p in domain.Properties)
        {
            _propSg[English.Conjugate(p, false).ToLowerInvariant()] = new Atom(p);
            _propSg[English.Conjugate(p, false, negated: true).ToLowerInvariant()] = new Not(new Atom(p));
            _propPl[English.Conjugate(p, true).ToLowerInvariant()] = new Atom(p);
            _propPl[English.Conjugate(p, true, negated: true).ToLowerInvariant()] = new Not(new Atom(p));
        }
        foreach (var i in domain.Individuals) _individuals[i.ToLowerInvariant()] = i;
    }

    private static readonly string[] LeadIns =
        { "therefore, ", "therefore ", "so, ", "so ", "hence, ", "hence ", "thus, ", "thus " };

    public Statement? Parse(string sentence)
    {
        string s = string.Join(' ', sentence.Trim().ToLowerInvariant()
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)).TrimEnd('.', '!').TrimEnd();
        foreach (var lead in LeadIns)
            if (s.StartsWith(lead, StringComparison.Ordinal)) { s = s[lead.Length..]; break; }
        if (Rest(s, "everything that ") is { } ev)
            return Split(ev, PredSg, PredSg, (a, b) => new Categorical(Quantifier.A, a, b));
        if (Rest(s, "all ") is { } all)
            return Split(all, NounPl, PredPl, (a, b) => new Categorical(Quantifier.A, a, b));
        if (Rest(s, "every ") is { } every)
            return Split(every, NounSg, PredSg, (a, b) => new Categorical(Quantifier.A, a, b));
        if (Rest(s, "no ") is { } no) return Split(no, NounPl, PredPl, (a, b) => new Categorical(Quantifier.E, a, b));
        if (Rest(s, "some ") is { } some)
            return Split(some, NounPl, PredPl, (a, b) => b is Not n
                ? new Categorical(Quantifier.O, a, n.Inner)
                : new Categorical(Quantifier.I, a, b));
        return ClauseOf(s) is { } c && c.Who != null ? new Clause(c.Who, c.F) : null;
    }

    private static string? Rest(string s, string prefix) =>
        s.StartsWith(prefix, StringComparison.Ordinal) ? s[prefix.Length..] : null;

    /// <summary>
    /// Tries every word boundary until the left part parses as one thing and the right part as the other.
    /// </summary>
    private static Statement? Split(string s, Func<string, Formula?> left, Func<string, Formula?> right,
        Func<Formula, Formula, Statement> make)
    {
        for (int i = s.IndexOf(' '); i > 0; i = s.IndexOf(' ', i + 1))
            if (left(s[..i]) is { } a && right(s[(i + 1)..]) is { } b) return make(a, b);
        return null;
    }

    private Formula? NounSg(string s) => NounPhrase(s, _nounSg, PredSg);
    private Formula? NounPl(string s) => NounPhrase(s, _nounPl, PredPl);

    private static Formula? NounPhrase(string s, Dictionary<string, string> nouns, Func<string, Formula?> pred)
    {
        if (nouns.TryGetValue(s, out var id)) return new Atom(id);
        for (int i = s.IndexOf(" that ", StringComparison.Ordinal); i > 0;
            i = s.IndexOf(" that ", i + 1, StringComparison.Ordinal))
            if (nouns.TryGetValue(s[..i], out var head) && pred(s[(i + 6)..]) is { } clause)
                return new Restricted(new Atom(head), clause);
        return null;
    }

    private Formula? PredSg(string s)
    {
        if (_propSg.TryGetValue(s, out var p)) return p;
        foreach (var (prefix, negated) in new[] { ("is not a ", true), ("is not an ", true), ("is a ", false),
            ("is an ", false) })
            if (Rest(s, prefix) is { } np && NounSg(np) is { } f)
                return negated ? new Not(f) : f;
        return null;
    }

    private Formula? PredPl(string s)
    {
        if (_propPl.TryGetValue(s, out var p)) return p;
        if (Rest(s, "are not ") is { } neg && NounPl(neg) is { } nf) return new Not(nf);
        if (Rest(s, "are ") is { } pos && NounPl(pos) is { } pf) return pf;
        return null;
    }

    private readonly record struct Parsed(string? Who, Formula F);

    /// <summary>A statement about an individual; Who is null when two parts name different individuals.</summary>
    private Parsed? ClauseOf(string s)
    {
        if (Rest(s, "it is not the case that ") is { } negated)
            return ClauseOf(negated) is { } inner ? inner with { F = new Not(inner.F) } : null;
        if (Rest(s, "if ") is { } cond)
            return Binary(cond, ", then ", (a, b) => new Implies(a, b));
        if (Rest(s, "either ") is { } either) return Binary(either, " or ", (a, b) => new Or(a, b));
        if (Rest(s, "both ") is { } both) return Binary(both, " and ", (a, b) => new And(a, b));
        foreach (var (name, who) in _individuals)
            if (Rest(s, name + " ") is { } pred && PredSg(pred) is { } f) return new Parsed(who, f);
        return Binary(s, " or ", (a, b) => new Or(a, b)) ?? Binary(s, " and ", (a, b) => new And(a, b));
    }

    private Parsed? Binary(string s, string separator, Func<Formula, Formula, Formula> make)
    {
        for (int i = s.IndexOf(separator, StringComparison.Ordinal); i > 0;
            i = s.IndexOf(separator, i + 1, StringComparison.Ordinal))
            if (ClauseOf(s[..i]) is { } a && ClauseOf(s[(i + separator.Length)..]) is { } b)
                return new Parsed(a.Who == b.Who ? a.Who : null, make(a.F, b.F));
        return null;
    }
}

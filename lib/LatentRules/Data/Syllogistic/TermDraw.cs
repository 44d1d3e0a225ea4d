using LatentRules.Randomness;

namespace LatentRules.Data.Syllogistic;

/// <summary>
/// The terms one split may use: all of a domain minus (train/valid) or only (test) its held-out share.
/// </summary>
public sealed record TermPool(VocabularyDomain Domain, IReadOnlyList<string> Nouns, IReadOnlyList<string> Properties,
    IReadOnlyList<string> Individuals);

/// <summary>Draws distinct terms for one example from a pool, so that no term plays two roles.</summary>
internal sealed class TermDraw
{
    private readonly TermPool _pool;
    private readonly SeededRandom _rng;
    private readonly HashSet<string> _used = new();

    public TermDraw(TermPool pool, SeededRandom rng) { _pool = pool; _rng = rng; }

    public IEnumerable<string> Used => _used;

    public Atom Noun() => new(Fresh(_pool.Nouns));
    public Atom Property() => new(Fresh(_pool.Properties));

    /// <summary>A noun or a property, even odds: what may stand after "is"/"are" or as a verb phrase.</summary>
    public Atom Predicate() => _rng.NextBool(0.5) ? Noun() : Property();

    /// <summary>
    /// A complex term, a noun with a relative clause: "dog that lives in water", "bird that cannot fly".
    /// </summary>
    public Restricted Complex() => new(Noun(), _rng.NextBool(0.25) ? new Not(Property()) : Property());

    /// <summary>A literal about an individual, negated when asked.</summary>
    public Formula Literal(bool negated) => negated ? new Not(Predicate()) : Predicate();

    public string Individual() => _rng.Choice(_pool.Individuals);

    private string Fresh(IReadOnlyList<string> from)
    {
        for (int attempt = 0; attempt < 64; attempt++)
        {
            var t = _rng.Choice(from);
            if (_used.Add(t)) return t;
        }
        throw new InvalidOperationException("term pool too small for one example");
    }
}

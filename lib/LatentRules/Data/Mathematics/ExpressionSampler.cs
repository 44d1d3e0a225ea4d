using LatentRules.Randomness;

namespace LatentRules.Data.Mathematics;

/// <summary>Size limits of sampled expressions. Defaults give premises like the published ones.</summary>
public sealed record ExpressionShape(
    int MaxDepth = 2,              // nesting of operators and functions below the top (the published premises use 1-2)
    int MaxSymbols = 3,            // distinct letters per expression (the published data use 2-3)
    int MaxPremiseChars = 60,      // longer printed premises are resampled
    int MaxConclusionChars = 120); // longer printed conclusions are resampled

/// <summary>
/// Draws random expressions in the style of the published derivations: a few single-letter symbols
/// combined by + - * / and powers, inside exp, log, sin and cos. Every draw is canonical (built through
/// <see cref="Expr"/>), so printing is deterministic. The letters e and i are never used as symbols (they
/// print as Euler's number and the imaginary unit); neither is d (it ends an integral in LaTeX).
/// </summary>
public sealed class ExpressionSampler
{
    /// <summary>The letters symbols are drawn from.</summary>
    public static readonly IReadOnlyList<string> Letters =
        "abcfghjklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".Select(c => c.ToString()).ToArray();

    private readonly ExpressionShape _shape;

    public ExpressionSampler(ExpressionShape? shape = null)
    {
        _shape = shape ?? new ExpressionShape();
        if (_shape.MaxDepth < 1) throw new ArgumentException($"MaxDepth must be at least 1, got {_shape.MaxDepth}");
        if (_shape.MaxSymbols < 1)
            throw new ArgumentException($"MaxSymbols must be at least 1, got {_shape.MaxSymbols}");
    }

    /// <summary>Distinct letters for one example (at least one: the variable comes first).</summary>
    public IReadOnlyList<Sym> Symbols(SeededRandom rng)
    {
        // two or more letters where allowed, as in the published data
        int count = _shape.MaxSymbols <= 2 ? _shape.MaxSymbols : 2 + rng.Next(_shape.MaxSymbols - 1);
        var letters = Letters.ToList();
        rng.Shuffle(letters);
        return letters.Take(count).Select(Expr.Sym).ToArray();
    }

    /// <summary>An expression over <paramref name="symbols"/> that contains <paramref name="variable"/>.</summary>
    public Expr Sample(SeededRandom rng, IReadOnlyList<Sym> symbols, Sym variable)
    {
        for (int attempt = 0; attempt < 1000; attempt++)
        {
            Expr e;
            try { e = Node(rng, symbols, 1 + rng.Next(_shape.MaxDepth)); }
            catch (ArithmeticException) { continue; }   // e.g. a power of zero
            if (e.Contains(variable.Name) && e.Size >= 2) return e;
        }
        throw new InvalidOperationException("could not sample an expression containing the variable in 1,000 attempts");
    }

    private Expr Node(SeededRandom rng, IReadOnlyList<Sym> symbols, int depth)
    {
        if (depth == 0) return Leaf(rng, symbols);
        var inner = Node(rng, symbols, depth - 1);
        return rng.Next(10) switch
        {
            0 => Expr.Add(inner, Leaf(rng, symbols)),
            1 => Expr.Sub(inner, Leaf(rng, symbols)),
            2 => Expr.Mul(inner, Leaf(rng, symbols)),
            3 => rng.NextBool() ? Expr.Div(inner, Leaf(rng, symbols)) : Expr.Div(Leaf(rng, symbols), inner),
            4 => Expr.Pow(inner, rng.NextBool(0.6) ? rng.Choice(symbols) : Expr.Num(2 + rng.Next(3))),
            5 => Expr.Pow(rng.Choice(symbols), inner),
            6 => Expr.Exp(inner),
            7 => Expr.Log(inner),
            8 => Expr.Sin(inner),
            _ => Expr.Cos(inner),
        };
    }

    private static Expr Leaf(SeededRandom rng, IReadOnlyList<Sym> symbols) =>
        rng.Next(6) == 0 ? Expr.Num(2 + rng.Next(4)) : rng.Choice(symbols);

    /// <summary>True when the printed premise and conclusion are within the configured lengths.</summary>
    public bool Fits(string premise, string conclusion) =>
        premise.Length <= _shape.MaxPremiseChars && conclusion.Length <= _shape.MaxConclusionChars;

    /// <summary>
    /// The expression's skeleton: node kinds and function names with symbols written S and numbers N,
    /// children of sums and products sorted. Two premises with one skeleton differ only in their letters and
    /// constants; test splits hold whole skeletons out.
    /// </summary>
    public static string Skeleton(Expr e) => e switch
    {
        Num => "N",
        Sym => "S",
        Const c => c.Which.ToString(),
        Add a => "add(" + string.Join(",", a.Terms.Select(Skeleton).Order(StringComparer.Ordinal)) + ")",
        Mul m => "mul(" + string.Join(",", m.Factors.Select(Skeleton).Order(StringComparer.Ordinal)) + ")",
        Pow p => $"pow({Skeleton(p.Base)},{Skeleton(p.Exponent)})",
        Fn f => f.Name + "(" + string.Join(",", f.Args.Select(Skeleton)) + ")",
        Integral i => $"int({Skeleton(i.Integrand)})",
        _ => throw new NotSupportedException(e.GetType().Name),
    };
}

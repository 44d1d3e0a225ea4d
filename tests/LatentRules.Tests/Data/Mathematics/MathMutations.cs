using LatentRules.Data;
using LatentRules.Data.Mathematics;
using LatentRules.Randomness;

namespace LatentRules.Tests.Data.Mathematics;

/// <summary>The corruptions used to test that the verifier rejects wrong conclusions.</summary>
public enum MutationKind
{
    /// <summary>A number n becomes n + 1 (or n + 2 when that would be 0); with no number, one term (or the whole) is
    /// doubled.</summary>
    ChangeConstant,
    /// <summary>Every occurrence of one variable becomes another (one already present if possible, else a fresh
    /// letter).</summary>
    SwapVariable,
    /// <summary>One term of a sum is removed (or, with no sum, one non-numeric factor of a product).</summary>
    DropTerm,
    /// <summary>One term of a sum changes sign (or the whole expression).</summary>
    FlipSign,
}

/// <summary>
/// Corrupts a conclusion on purpose. Each mutation returns a different printed expression or null when it
/// does not apply (e.g. no variable to swap). A mutant can still be mathematically right by accident
/// (dropping a term that is constant in the variable of an antiderivative); the verifier is expected to
/// accept those, so rejection rates are reported over all mutants and the exceptions inspected.
/// </summary>
public static class MathMutations
{
    public static readonly MutationKind[] All = Enum.GetValues<MutationKind>();

    public static Expr? Mutate(Expr e, MutationKind kind, SeededRandom rng)
    {
        Expr? mutant;
        try
        {
            mutant = kind switch
            {
                MutationKind.ChangeConstant => ChangeConstant(e, rng),
                MutationKind.SwapVariable => SwapVariable(e, rng),
                MutationKind.DropTerm => DropTerm(e, rng),
                MutationKind.FlipSign => FlipSign(e, rng),
                _ => null,
            };
        }
        catch (Exception ex) when (ex is ArithmeticException or NotSupportedException)
        {
            return null;   // e.g. the mutant divides by zero
        }
        return mutant is not null && LatexPrinter.Print(mutant) != LatexPrinter.Print(e) ? mutant : null;
    }

    /// <summary>Replaces the index-th node (pre-order) for which <paramref name="pick"/> holds.</summary>
    private static Expr ReplaceNth(Expr e, Func<Expr, bool> pick, int index, Func<Expr, Expr> replacement)
    {
        int seen = 0;
        return Expr.Substitute(e, n =>
        {
            if (!pick(n)) return null;
            return seen++ == index ? replacement(n) : null;
        });
    }

    private static int Count(Expr e, Func<Expr, bool> pick) => e.Nodes().Count(pick);

    private static Expr ChangeConstant(Expr e, SeededRandom rng)
    {
        static bool IsNumber(Expr n) => n is Num;
        int count = Count(e, IsNumber);
        if (count > 0)
        {
            return ReplaceNth(e, IsNumber, rng.Next(count), n =>
            {
                var v = ((Num)n).Value;
                var changed = v + BigRational.One;
                if (changed.IsZero) changed = v + new BigRational(2);
                return Expr.Num(changed);
            });
        }
        static bool IsSum(Expr n) => n is Add;
        int sums = Count(e, IsSum);
        if (sums > 0)
        {
            return ReplaceNth(e, IsSum, rng.Next(sums), n =>
            {
                var terms = ((Add)n).Terms.ToList();
                int k = rng.Next(terms.Count);
                terms[k] = Expr.Mul(Expr.Two, terms[k]);
                return Expr.Add(terms);
            });
        }
        return Expr.Mul(Expr.Two, e);
    }

    private const string Letters = "abcfghjklmnopqrstuvwxyzABCDEFGHIJKLMNPQRSTUVWXYZ";

    private static Expr? SwapVariable(Expr e, SeededRandom rng)
    {
        var present = e.FreeSymbols.OrderBy(s => s, StringComparer.Ordinal).ToList();
        if (present.Count == 0) return null;
        string from = present[rng.Next(present.Count)];
        var others = present.Where(s => s != from).ToList();
        string to;
        if (others.Count > 0) to = others[rng.Next(others.Count)];
        else
        {
            var fresh = Letters.Select(c => c.ToString()).Where(c => !present.Contains(c)).ToList();
            to = fresh[rng.Next(fresh.Count)];
        }
        // A swap exchanges the two names, so x + 2 y becomes y + 2 x rather than merging them.
        return Expr.Rename(e, new Dictionary<string, string> { [from] = to, [to] = from });
    }

    private static Expr? DropTerm(Expr e, SeededRandom rng)
    {
        static bool IsSum(Expr n) => n is Add;
        int sums = Count(e, IsSum);
        if (sums > 0)
        {
            return ReplaceNth(e, IsSum, rng.Next(sums), n =>
            {
                var terms = ((Add)n).Terms.ToList();
                terms.RemoveAt(rng.Next(terms.Count));
                return Expr.Add(terms);
            });
        }
        static bool IsProduct(Expr n) => n is Mul m && m.NonNumeric.Count() >= 2;
        int products = Count(e, IsProduct);
        if (products > 0)
        {
            return ReplaceNth(e, IsProduct, rng.Next(products), n =>
            {
                var m = (Mul)n;
                var factors = m.Factors.ToList();
                var candidates = Enumerable.Range(0, factors.Count).Where(i => factors[i] is not Num).ToList();
                factors.RemoveAt(candidates[rng.Next(candidates.Count)]);
                return Expr.Mul(factors);
            });
        }
        return null;
    }

    private static Expr FlipSign(Expr e, SeededRandom rng)
    {
        static bool IsSum(Expr n) => n is Add;
        int sums = Count(e, IsSum);
        if (sums > 0 && rng.NextBool(0.7))
        {
            return ReplaceNth(e, IsSum, rng.Next(sums), n =>
            {
                var terms = ((Add)n).Terms.ToList();
                int k = rng.Next(terms.Count);
                terms[k] = Expr.Neg(terms[k]);
                return Expr.Add(terms);
            });
        }
        return Expr.Neg(e);
    }
}

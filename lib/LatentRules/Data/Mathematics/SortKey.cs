using System.Numerics;

namespace LatentRules.Data.Mathematics;

/// <summary>
/// SymPy's <c>sort_key()</c> as a comparable value: (class key, args, exponent key, coefficient), compared
/// the way Python compares tuples. It decides the order of factors in a product and (through
/// <see cref="Ordering.OrderedTerms"/>) of terms in a sum, which is what makes printed results match the
/// published data, e.g. <c>L X^{L - 1}</c> (L before X) but <c>J^{S - 1} S</c> (J before S).
/// </summary>
public sealed class SortKey : IComparable<SortKey>
{
    internal int ClassA, ClassB;
    internal string ClassName = "";
    internal int ArgsHead;              // 0 for numbers, 1 for atoms, the number of args otherwise
    internal string? AtomText;          // atoms: (1, (str,))
    internal SortKey[]? ArgKeys;        // others: (n, (keys...))
    internal SortKey? ExpKey;           // null means () (numbers)
    internal BigRational Coeff;

    public int CompareTo(SortKey? other)
    {
        if (other is null) return 1;
        if (ReferenceEquals(this, other)) return 0;
        int c = ClassA.CompareTo(other.ClassA);
        if (c != 0) return c;
        c = ClassB.CompareTo(other.ClassB);
        if (c != 0) return c;
        c = string.CompareOrdinal(ClassName, other.ClassName);
        if (c != 0) return c;
        c = ArgsHead.CompareTo(other.ArgsHead);
        if (c != 0) return c;
        if (AtomText is not null && other.AtomText is not null)
        {
            c = string.CompareOrdinal(AtomText, other.AtomText);
            if (c != 0) return c;
        }
        else if (ArgKeys is not null && other.ArgKeys is not null)
        {
            int n = Math.Min(ArgKeys.Length, other.ArgKeys.Length);
            for (int i = 0; i < n; i++)
            {
                c = ArgKeys[i].CompareTo(other.ArgKeys[i]);
                if (c != 0) return c;
            }
            c = ArgKeys.Length.CompareTo(other.ArgKeys.Length);
            if (c != 0) return c;
        }
        else
        {
            // Python would refuse to compare a string with a tuple; this never happens for equal class keys.
            c = (AtomText is null ? 1 : 0).CompareTo(other.AtomText is null ? 1 : 0);
            if (c != 0) return c;
        }
        if (ExpKey is null || other.ExpKey is null)
        {
            c = (ExpKey is null ? 0 : 1).CompareTo(other.ExpKey is null ? 0 : 1);
            if (c != 0) return c;
        }
        else
        {
            c = ExpKey.CompareTo(other.ExpKey);
            if (c != 0) return c;
        }
        return Coeff.CompareTo(other.Coeff);
    }
}

/// <summary>Computes <see cref="SortKey"/>s (SymPy's Expr.sort_key and the class keys it uses).</summary>
internal static class SortKeys
{
    private static SortKey? _oneKey;
    private static SortKey OneKey => _oneKey ??= NumberKey(BigRational.One);

    private static SortKey NumberKey(BigRational v) => new()
    {
        ClassA = 1, ClassB = 0, ClassName = "Number", ArgsHead = 0, ArgKeys = Array.Empty<SortKey>(), ExpKey = null,
        Coeff = v,
    };

    /// <summary>SymPy's class_key for an expression node.</summary>
    internal static (int a, int b, string name) ClassKey(Expr e) => e switch
    {
        Num => (1, 0, "Number"),
        Sym => (2, 0, "Symbol"),
        Const c => (2, 0, c.Which switch { ConstantKind.Pi => "Pi", ConstantKind.E => "Exp1", _ => "ImaginaryUnit" }),
        Mul => (3, 0, "Mul"),
        Add => (3, 1, "Add"),
        Pow => (3, 2, "Pow"),
        Fn f => (4, f.Name switch
        {
            "exp" => 10,
            "log" => 11,
            "sin" => 20,
            "cos" => 21,
            "exp_polar" => 0,
            _ => 10000,
        }, f.Name),
        Integral => (5, 0, "Integral"),
        _ => throw new InvalidOperationException(e.GetType().Name),
    };

    /// <summary>str(expr) of an atom, as SymPy writes it.</summary>
    internal static string AtomString(Expr e) => e switch
    {
        Num n => n.Value.ToString(),
        Sym s => s.Name,
        Const c => c.Which switch { ConstantKind.Pi => "pi", ConstantKind.E => "E", _ => "I" },
        _ => throw new InvalidOperationException("not an atom"),
    };

    private static bool IsAtom(Expr e) => e is Num or Sym or Const;

    public static SortKey Of(Expr e)
    {
        switch (e)
        {
            case Num n: return NumberKey(n.Value);
            case Sym or Const:
            {
                var (a, b, name) = ClassKey(e);
                return new SortKey
                {
                    ClassA = a, ClassB = b, ClassName = name, ArgsHead = 1,
                    AtomText = AtomString(e), ExpKey = OneKey, Coeff = BigRational.One
                };
            }
        }

        // Expr.sort_key: strip the numeric coefficient, then a power sorts by its base (exponent next).
        var coeff = BigRational.One;
        Expr expr = e;
        if (e is Mul m && m.Factors[0] is Num c)
        {
            coeff = c.Value;
            expr = Expr.WithoutCoefficient(m);
        }
        Expr exponent = Expr.One;
        if (expr is Pow p) { exponent = p.Exponent; expr = p.Base; }

        var (ca, cb, cname) = ClassKey(expr);
        var key = new SortKey { ClassA = ca, ClassB = cb, ClassName = cname, ExpKey = exponent.SortKey, Coeff = coeff };
        if (IsAtom(expr))
        {
            key.ArgsHead = 1;
            key.AtomText = AtomString(expr);
        }
        else
        {
            SortKey[] args = expr switch
            {
                Add a => Ordering.OrderedTerms(a).Select(t => t.SortKey).ToArray(),
                Mul mm => mm.Factors.Select(f => f.SortKey).ToArray(),
                Fn { Name: "hyper" } h => new[]
                {
                    TupleKey(h.Args.Take(h.HyperP)), TupleKey(h.Args.Skip(h.HyperP).Take(h.Args.Count - 1 - h.HyperP)),
                    h.Arg.SortKey,
                },
                Integral i => new[] { i.Integrand.SortKey, TupleKey(new Expr[] { i.Variable }) },
                _ => expr.Args.Select(x => x.SortKey).ToArray(),
            };
            key.ArgsHead = args.Length;
            key.ArgKeys = args;
        }
        return key;
    }

    /// <summary>Basic.sort_key of a SymPy Tuple of expressions.</summary>
    private static SortKey TupleKey(IEnumerable<Expr> items)
    {
        var keys = items.Select(x => x.SortKey).ToArray();
        return new SortKey
        {
            ClassA = 5, ClassB = 0, ClassName = "Tuple", ArgsHead = keys.Length, ArgKeys = keys,
            ExpKey = OneKey, Coeff = BigRational.One
        };
    }
}

/// <summary>SymPy's printing order of terms, and its sign conventions.</summary>
public static class Ordering
{
    /// <summary>
    /// The terms of a sum in the order SymPy prints them (<c>Expr.as_ordered_terms()</c>): lexicographic in
    /// the exponents of the sum's generators (sorted by sort key), higher powers first, then by coefficient;
    /// except that "number - c x" keeps the number first (<c>1 - x</c>).
    /// </summary>
    public static IReadOnlyList<Expr> OrderedTerms(Add sum)
    {
        var terms = sum.Terms;
        // Special case: Add(Number, Mul(Number, expr)) with a positive number and a negative coefficient.
        if (terms.Count == 2)
        {
            var byNumber = terms.OrderBy(t => IsNumberLike(t) ? 0 : 1).ToList();
            if (IsNumberLike(byNumber[0]) && byNumber[1] is Mul m && m.Factors.Count == 2 && m.Factors[0] is Num mc
                && IsPositiveNumberLike(byNumber[0]) && mc.Value.Sign < 0)
                return byNumber;
        }

        var data = new List<(Expr term, Complex coeff, Dictionary<Expr, int> powers)>();
        var gens = new List<Expr>();
        var seen = new HashSet<Expr>();
        foreach (var term in terms)
        {
            var (c, rest) = AsCoeffMul(term);
            var coeff = new Complex(c.ToDouble(), 0);
            var powers = new Dictionary<Expr, int>();
            if (!(rest is Num { Value.IsOne: true }))
            {
                foreach (var factor in MulArgs(rest))
                {
                    if (factor.IsConstantNumber && TryComplex(factor, out var value))
                    {
                        coeff *= value;
                        continue;
                    }
                    var (b, k) = DecomposePower(factor);
                    powers[b] = k;
                    if (seen.Add(b)) gens.Add(b);
                }
            }
            data.Add((term, coeff, powers));
        }
        var sortedGens = gens.OrderBy(g => g.SortKey).ToList();
        var keyed = data.Select(d =>
        {
            var monom = sortedGens.Select(g => d.powers.TryGetValue(g, out int k) ? -k : 0).ToArray();
            return (d.term, monom, d.coeff);
        }).ToList();
        // Python's sort is stable, and so is OrderBy.
        return keyed.OrderBy(k => k, Comparer<(Expr term, int[] monom, Complex coeff)>.Create(
            (x, y) => CompareTermKeys(x.monom, x.coeff, y.monom, y.coeff))).Select(k => k.term).ToList();
    }

    private static int CompareTermKeys(int[] ma, Complex ca, int[] mb, Complex cb)
    {
        for (int i = 0; i < ma.Length; i++)
        {
            int c = ma[i].CompareTo(mb[i]);
            if (c != 0) return c;
        }
        // coeff key ((bool(im), im), (re, im))
        int r = (ca.Imaginary != 0).CompareTo(cb.Imaginary != 0);
        if (r != 0) return r;
        r = ca.Imaginary.CompareTo(cb.Imaginary);
        if (r != 0) return r;
        r = ca.Real.CompareTo(cb.Real);
        if (r != 0) return r;
        return ca.Imaginary.CompareTo(cb.Imaginary);
    }

    private static bool IsNumberLike(Expr e) => e is Num || e is Const { Which: ConstantKind.Pi or ConstantKind.E };
    private static bool IsPositiveNumberLike(Expr e) => e is Num n ? n.Value.Sign > 0 : e is Const;

    private static bool TryComplex(Expr e, out Complex value)
    {
        try
        {
            value = NumericEvaluator.Evaluate(e, NumericEvaluator.NoSymbols);
            return double.IsFinite(value.Real) && double.IsFinite(value.Imaginary);
        }
        catch (Exception ex) when (ex is NotSupportedException or ArithmeticException or ArgumentException)
        {
            value = default;
            return false;
        }
    }

    /// <summary>(numeric coefficient, rest) as SymPy's as_coeff_Mul.</summary>
    public static (BigRational coeff, Expr rest) AsCoeffMul(Expr e) => e switch
    {
        Num n => (n.Value, Expr.One),
        Mul m when m.Factors[0] is Num c => (c.Value, Expr.WithoutCoefficient(m)),
        _ => (BigRational.One, e),
    };

    /// <summary>The factors of a product, or the expression alone.</summary>
    public static IReadOnlyList<Expr> MulArgs(Expr e) => e is Mul m ? m.Factors : new[] { e };

    /// <summary>(base, exponent) as SymPy's as_base_exp: exp(x) is (e, x).</summary>
    public static (Expr b, Expr e) AsBaseExp(Expr x) => x switch
    {
        Pow p => (p.Base, p.Exponent),
        Fn { Name: "exp" } f => (Expr.E, f.Arg),
        _ => (x, Expr.One),
    };

    /// <summary>
    /// SymPy's decompose_power: x^{3} is (x, 3), x^{-y} is (x^{y}, -1), x^{2 y} is (x^{y}, 2), x^{1/2} is (x^{1/2}, 1).
    /// </summary>
    public static (Expr b, int e) DecomposePower(Expr factor)
    {
        var (b, e) = AsBaseExp(factor);
        if (e is Num n)
        {
            if (n.Value.IsInteger) return (b, (int)n.Value.Num);
            return (Expr.Pow(b, Expr.Num(new BigRational(1, n.Value.Den))), (int)n.Value.Num);
        }
        var (c, tail) = AsCoeffMul(e);
        if (c == BigRational.MinusOne) return (Expr.Pow(b, tail), -1);
        if (!c.IsOne)
        {
            var tail2 = c.Den.IsOne ? tail : Expr.Mul(Expr.Num(new BigRational(1, c.Den)), tail);
            return (Expr.Pow(b, tail2), (int)c.Num);
        }
        return (factor, 1);
    }

    /// <summary>
    /// SymPy's could_extract_minus_sign: a number below zero, a product with a negative coefficient, or a sum
    /// with more negative than positive terms (ties broken by sort key, preferring x - y over -x + y).
    /// </summary>
    public static bool CouldExtractMinusSign(Expr e)
    {
        switch (e)
        {
            case Num n: return n.Value.Sign < 0;
            case Mul m: return m.Factors[0] is Num c && c.Value.Sign < 0;
            case Add a:
                int negative = a.Terms.Count(CouldExtractMinusSign);
                int positive = a.Terms.Count - negative;
                if (positive > negative) return false;
                if (positive < negative) return true;
                return e.SortKey.CompareTo(Expr.Neg(e).SortKey) < 0;
            default: return false;
        }
    }
}

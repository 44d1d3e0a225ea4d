using System.Numerics;
using AddNode = LatentRules.Data.Mathematics.Add;
using IntegralNode = LatentRules.Data.Mathematics.Integral;
using MulNode = LatentRules.Data.Mathematics.Mul;
using NumNode = LatentRules.Data.Mathematics.Num;
using PowNode = LatentRules.Data.Mathematics.Pow;
using SymNode = LatentRules.Data.Mathematics.Sym;

namespace LatentRules.Data.Mathematics;

/// <summary>
/// Builds expressions in canonical form. The rules follow SymPy's automatic evaluation (the published
/// data were printed by SymPy after <c>simplify</c>):
/// <list type="bullet">
/// <item>sums are flattened, numbers added, like terms collected (2 x + 3 x = 5 x), zero terms dropped;</item>
/// <item>products are flattened, numbers multiplied, powers of one base combined (x x^{a} = x^{a + 1},
///   e^{a} e^{b} = e^{a + b}, as SymPy's powsimp does), and a number times a single sum is distributed
///   (2 (x + y) = 2 x + 2 y, -(x - y) = - x + y);</item>
/// <item>powers: x^0 = 1, x^1 = x, 1^x = 1, exact numeric powers, (x^a)^n = x^{a n} and (x y)^n = x^n y^n
///   for integer n, e^{x} is exp(x);</item>
/// <item>functions: exp(0) = 1, exp(\log x) = x, exp(c \log x) = x^c, \log 1 = 0, \log e = 1,
///   \log(1/n) = -\log n, sin/cos of 0 and of multiples of \pi/2, sin(-x) = -sin(x), cos(-x) = cos(x).</item>
/// </list>
/// Terms and factors are stored in SymPy's sort-key order, so equal expressions are structurally equal.
/// These static constructors are the only way to build an expression (<c>Expr.Add(x, Expr.Num(2))</c>, as .NET's
/// <c>System.Linq.Expressions.Expression.Add</c>); the node classes keep their constructors internal.
/// </summary>
public abstract partial class Expr
{
    private static readonly NumNode[] SmallInts =
        Enumerable.Range(-16, 33).Select(i => new NumNode(new BigRational(i))).ToArray();

    public static NumNode Zero => SmallInts[16];
    public static NumNode One => SmallInts[17];
    public static NumNode MinusOne => SmallInts[15];
    public static NumNode Two => SmallInts[18];
    public static NumNode Half { get; } = new(new BigRational(1, 2));

    public static Const Pi { get; } = new(ConstantKind.Pi);
    public static Const E { get; } = new(ConstantKind.E);
    public static Const I { get; } = new(ConstantKind.I);

    /// <summary>The functions the engine knows, with their number of arguments (hyper is variadic).</summary>
    public static readonly IReadOnlyDictionary<string, int> FunctionArity = new Dictionary<string, int>(
        StringComparer.Ordinal)
    {
        ["exp"] = 1, ["log"] = 1, ["sin"] = 1, ["cos"] = 1,
        ["Si"] = 1, ["Ci"] = 1, ["Ei"] = 1, ["gamma"] = 1, ["exp_polar"] = 1,
        ["lowergamma"] = 2, ["uppergamma"] = 2,
    };

    public static NumNode Num(BigRational value)
    {
        if (value.IsInteger && value.Num >= -16 && value.Num <= 16) return SmallInts[(int)value.Num + 16];
        return new NumNode(value);
    }

    public static NumNode Num(long value) => Num(new BigRational(value));
    public static NumNode Num(long num, long den) => Num(new BigRational(num, den));
    public static NumNode Num(BigInteger value) => Num(new BigRational(value));

    public static Sym Sym(string name)
    {
        if (string.IsNullOrEmpty(name)) throw new ArgumentException("a symbol needs a name");
        return new Sym(name);
    }

    public static Expr Neg(Expr x) => Mul(MinusOne, x);
    public static Expr Sub(Expr a, Expr b) => Add(a, Neg(b));
    public static Expr Div(Expr a, Expr b) => Mul(a, Pow(b, MinusOne));

    // ---------------------------------------------------------------- sums

    public static Expr Add(params Expr[] terms) => Add((IEnumerable<Expr>)terms);

    public static Expr Add(IEnumerable<Expr> terms)
    {
        var numeric = BigRational.Zero;
        var coefficients = new Dictionary<Expr, BigRational>();
        var order = new List<Expr>();

        void Accumulate(Expr rest, BigRational c)
        {
            if (coefficients.TryGetValue(rest, out var old)) coefficients[rest] = old + c;
            else { coefficients[rest] = c; order.Add(rest); }
        }

        void Push(Expr t)
        {
            switch (t)
            {
                case NumNode n: numeric += n.Value; break;
                case AddNode a: foreach (var u in a.Terms) Push(u); break;
                case MulNode m when m.Factors[0] is Num c: Accumulate(WithoutCoefficient(m), c.Value); break;
                default: Accumulate(t, BigRational.One); break;
            }
        }

        foreach (var t in terms) Push(t);

        var result = new List<Expr>(order.Count + 1);
        foreach (var rest in order)
        {
            var c = coefficients[rest];
            if (c.IsZero) continue;
            result.Add(c.IsOne ? rest : WithCoefficient(c, rest));
        }
        if (!numeric.IsZero) result.Add(Num(numeric));
        if (result.Count == 0) return Zero;
        if (result.Count == 1) return result[0];
        if (result.Any(r => r is AddNode)) return Add(result);   // unreachable in practice: no term is c * (sum)
        return new AddNode(SortByKey(result));
    }

    /// <summary>c * rest for a rest that has no coefficient and is not a sum (already canonical).</summary>
    private static Expr WithCoefficient(BigRational c, Expr rest) => rest switch
    {
        MulNode m => new MulNode(new Expr[] { Num(c) }.Concat(m.Factors).ToArray()),
        AddNode => Mul(Num(c), rest),
        _ => new MulNode(new Expr[] { Num(c), rest }),
    };

    /// <summary>A product without its numeric coefficient (the factors are already canonical).</summary>
    internal static Expr WithoutCoefficient(MulNode m)
    {
        if (m.Factors[0] is not NumNode) return m;
        return m.Factors.Count == 2 ? m.Factors[1] : new MulNode(m.Factors.Skip(1).ToArray());
    }

    // ---------------------------------------------------------------- products

    public static Expr Mul(params Expr[] factors) => Mul((IEnumerable<Expr>)factors);

    public static Expr Mul(IEnumerable<Expr> factors)
    {
        var pending = new List<Expr>(factors);
        for (int round = 0; ; round++)
        {
            var coefficient = BigRational.One;
            var exponents = new Dictionary<Expr, List<Expr>>();
            var bases = new List<Expr>();

            void AddPower(Expr b, Expr e)
            {
                if (!exponents.TryGetValue(b, out var list)) { exponents[b] = list = new List<Expr>(); bases.Add(b); }
                list.Add(e);
            }

            void Push(Expr f)
            {
                switch (f)
                {
                    case NumNode n: coefficient *= n.Value; break;
                    case MulNode m: foreach (var g in m.Factors) Push(g); break;
                    case PowNode p: AddPower(p.Base, p.Exponent); break;
                    case Fn { Name: "exp" } ef: AddPower(E, ef.Arg); break;
                    default: AddPower(f, One); break;
                }
            }

            foreach (var f in pending) Push(f);
            if (coefficient.IsZero) return Zero;

            var rest = new List<Expr>(bases.Count);
            bool again = false;
            foreach (var b in bases)
            {
                var list = exponents[b];
                var combined = list.Count == 1 ? (list[0] is NumNode one && one.Value.IsOne ? b : Pow(b, list[0]))
                    : Pow(b, Add(list));
                if (combined is NumNode cn) { coefficient *= cn.Value; continue; }
                // e.g. (x y)^2 = x^2 y^2 may meet other powers of x: merge again
                if (combined is MulNode) again = true;
                rest.Add(combined);
            }
            if (coefficient.IsZero) return Zero;
            if (again && round < 8)
            {
                pending = new List<Expr>(rest) { Num(coefficient) };
                continue;
            }

            // Flatten products that came out of powers without further merging.
            var flat = new List<Expr>(rest.Count);
            foreach (var f in rest)
            {
                if (f is MulNode inner)
                {
                    foreach (var g in inner.Factors)
                        if (g is NumNode gn) coefficient *= gn.Value; else flat.Add(g);
                }
                else flat.Add(f);
            }

            if (flat.Count == 0) return Num(coefficient);
            if (flat.Count == 1 && coefficient.IsOne) return flat[0];
            // SymPy's two-argument rule: a number times one sum is distributed.
            if (flat.Count == 1 && flat[0] is AddNode sum)
                return Add(sum.Terms.Select(t => Mul(Num(coefficient), t)));
            var sorted = SortByKey(flat);
            if (coefficient.IsOne) return new MulNode(sorted);
            var withC = new Expr[sorted.Length + 1];
            withC[0] = Num(coefficient);
            Array.Copy(sorted, 0, withC, 1, sorted.Length);
            return new MulNode(withC);
        }
    }

    // ---------------------------------------------------------------- powers

    public static Expr Pow(Expr b, Expr e)
    {
        if (e is NumNode en)
        {
            if (en.Value.IsZero) return One;
            if (en.Value.IsOne) return b;
        }
        if (b is NumNode { Value.IsOne: true }) return One;
        if (b is Const { Which: ConstantKind.E }) return Exp(e);
        if (b is NumNode bn && e is NumNode ee) return NumericPower(bn.Value, ee.Value);
        if (e is NumNode ei)
        {
            var n = ei.Value;
            if (n.IsInteger)
            {
                int k = (int)n.Num;
                switch (b)
                {
                    case Const { Which: ConstantKind.I }:
                        return (((k % 4) + 4) % 4) switch { 0 => One, 1 => I, 2 => MinusOne, _ => Neg(I) };
                    case Pow inner: return Pow(inner.Base, Mul(inner.Exponent, e));
                    case Fn { Name: "exp" } ef: return Exp(Mul(ef.Arg, e));
                    case MulNode m: return Mul(m.Factors.Select(f => Pow(f, e)));
                }
            }
            else if (b is MulNode m && m.Factors[0] is NumNode c && c.Value.Sign > 0)
            {
                // (4 x)^{1/2} = 2 x^{1/2}: a positive coefficient comes out of a rational power.
                return Mul(Pow(c, e), Pow(WithoutCoefficient(m), e));
            }
        }
        if (b is NumNode { Value.IsZero: true })
        {
            if (e is NumNode pos && pos.Value.Sign > 0) return Zero;
            throw new DivideByZeroException("0 raised to a non-positive power");
        }
        return new PowNode(b, e);
    }

    private static Expr NumericPower(BigRational b, BigRational e)
    {
        if (e.IsInteger)
        {
            if (BigInteger.Abs(e.Num) > 4096) throw new OverflowException("exponent too large for an exact power");
            return Num(BigRational.Power(b, (int)e.Num));
        }
        if (b.IsZero)
        {
            if (e.Sign > 0) return Zero;
            throw new DivideByZeroException("0 raised to a negative power");
        }
        if (b.Sign < 0)
        {
            if (e.Den == 2)   // (-b)^{p/2} = i^p b^{p/2}
                return Mul(Pow(I, Num(e.Num)), NumericPower(-b, e));
            return new PowNode(Num(b), Num(e));
        }
        // b^{n + r} = b^n b^r with 0 < r < 1 (SymPy: 2^{3/2} = 2 \sqrt{2})
        var whole = BigInteger.Divide(e.Num - (e.Num.Sign < 0 ? e.Den - 1 : 0), e.Den);
        var frac = e - new BigRational(whole);
        if (BigInteger.Abs(frac.Den) > 64) return new PowNode(Num(b), Num(e));
        var root = BigRational.ExactRoot(b, (int)frac.Den);
        if (root is not null) return Num(BigRational.Power(root.Value, (int)e.Num));
        if (whole.IsZero) return new PowNode(Num(b), Num(e));
        return Mul(Num(BigRational.Power(b, (int)whole)), new PowNode(Num(b), Num(frac)));
    }

    // ---------------------------------------------------------------- functions

    public static Expr Exp(Expr x)
    {
        if (x is NumNode n)
        {
            if (n.Value.IsZero) return One;
            if (n.Value.IsOne) return E;
        }
        if (x is Fn { Name: "log" } lg) return lg.Arg;
        if (x is MulNode m && m.Factors.Count == 2 && m.Factors[0] is NumNode c
            && m.Factors[1] is Fn { Name: "log" } l2)
            return Pow(l2.Arg, c);
        var ipi = CoefficientOfIPi(x);
        if (ipi is { } k && (k * 2).IsInteger)
        {
            var twice = (int)((k * 2).Num % 4 + 4) % 4;   // e^{i pi k} for k a multiple of 1/2
            return twice switch { 0 => One, 1 => I, 2 => MinusOne, _ => Neg(I) };
        }
        if (x is AddNode sum)
        {
            var outside = new List<Expr>();
            var inside = new List<Expr>();
            foreach (var t in sum.Terms)
            {
                var e = Exp(t);
                if (e is Fn { Name: "exp" } || e is Const { Which: ConstantKind.E }) inside.Add(t);
                else outside.Add(e);
            }
            if (outside.Count > 0) return Mul(outside.Append(Exp(Add(inside))));
        }
        return new Fn("exp", new[] { x });
    }

    /// <summary>k when x = k i \pi for a rational k, else null.</summary>
    private static BigRational? CoefficientOfIPi(Expr x)
    {
        if (x is not MulNode m) return null;
        var rest = m.NonNumeric.ToList();
        if (rest.Count == 2 && rest[0] is Const { Which: ConstantKind.I }
            && rest[1] is Const { Which: ConstantKind.Pi })
            return m.Coefficient;
        return null;
    }

    public static Expr Log(Expr x)
    {
        switch (x)
        {
            case NumNode n when n.Value.IsOne: return Zero;
            case NumNode n when n.Value.IsZero: throw new DivideByZeroException("log(0)");
            case NumNode n when n.Value.Sign < 0: return Add(Log(Num(-n.Value)), Mul(I, Pi));
            case NumNode n when !n.Value.IsInteger
                && n.Value.Num.IsOne:
                return Neg(Log(Num(new BigRational(n.Value.Den))));
            case Const { Which: ConstantKind.E }: return One;
        }
        return new Fn("log", new[] { x });
    }

    public static Expr Sin(Expr x)
    {
        if (x is NumNode { Value.IsZero: true }) return Zero;
        if (PiMultiple(x) is { } k && (k * 2).IsInteger)
            return k.IsInteger ? Zero : ((int)(((k * 2).Num - 1) / 2 % 2) == 0 ? One : MinusOne);
        if (Ordering.CouldExtractMinusSign(x)) return Neg(Sin(Neg(x)));
        return new Fn("sin", new[] { x });
    }

    public static Expr Cos(Expr x)
    {
        if (x is NumNode { Value.IsZero: true }) return One;
        if (PiMultiple(x) is { } k && (k * 2).IsInteger)
            return k.IsInteger ? (k.Num.IsEven ? One : MinusOne) : Zero;
        if (Ordering.CouldExtractMinusSign(x)) return Cos(Neg(x));
        return new Fn("cos", new[] { x });
    }

    /// <summary>k when x = k \pi for a rational k (including 0 \pi), else null.</summary>
    private static BigRational? PiMultiple(Expr x) => x switch
    {
        Const { Which: ConstantKind.Pi } => BigRational.One,
        MulNode { Factors.Count: 2 } m when m.Factors[0] is NumNode c
            && m.Factors[1] is Const { Which: ConstantKind.Pi } => c.Value,
        _ => null,
    };

    /// <summary>A function by name (see <see cref="FunctionArity"/>), with the evaluation rules above.</summary>
    public static Expr Function(string name, params Expr[] args)
    {
        if (!FunctionArity.TryGetValue(name, out int arity))
            throw new ArgumentException($"unknown function '{name}' (known: {string.Join(", ", FunctionArity.Keys)}, " +
                $"hyper)");
        if (args.Length != arity) throw new ArgumentException($"{name} takes {arity} argument(s), got {args.Length}");
        switch (name)
        {
            case "exp": return Exp(args[0]);
            case "log": return Log(args[0]);
            case "sin": return Sin(args[0]);
            case "cos": return Cos(args[0]);
            case "Si":
                if (args[0] is NumNode { Value.IsZero: true }) return Zero;
                if (Ordering.CouldExtractMinusSign(args[0])) return Neg(Function("Si", Neg(args[0])));
                break;
            case "exp_polar":
                if (args[0] is NumNode { Value.IsZero: true }) return One;
                break;
        }
        return new Fn(name, args);
    }

    /// <summary>The generalised hypergeometric function pFq(a_1..a_p; b_1..b_q; z).</summary>
    public static Expr Hyper(IReadOnlyList<Expr> ap, IReadOnlyList<Expr> bq, Expr z)
    {
        if (z is NumNode { Value.IsZero: true }) return One;
        return new Fn("hyper", ap.Concat(bq).Append(z).ToArray(), ap.Count);
    }

    public static Expr Integral(Expr integrand, Sym variable) => new Integral(integrand, variable);

    /// <summary>The same kind of node with new children, re-evaluated (used by substitution and mutation).</summary>
    public static Expr Rebuild(Expr node, IReadOnlyList<Expr> args) => node switch
    {
        NumNode or SymNode or Const => node,
        AddNode => Add(args),
        MulNode => Mul(args),
        PowNode => Pow(args[0], args[1]),
        Fn { Name: "hyper" } h =>
            Hyper(args.Take(h.HyperP).ToList(), args.Skip(h.HyperP).Take(args.Count - 1 - h.HyperP).ToList(), args[^1]),
        Fn f => Function(f.Name, args.ToArray()),
        IntegralNode => args[1] is SymNode v ? Integral(args[0], v)
            : throw new ArgumentException("an integral's variable must stay a symbol"),
        _ => throw new NotSupportedException(node.GetType().Name),
    };

    /// <summary>
    /// Replaces, top-down, every node for which <paramref name="replace"/> returns non-null, and re-evaluates.
    /// </summary>
    public static Expr Substitute(Expr e, Func<Expr, Expr?> replace)
    {
        var r = replace(e);
        if (r is not null) return r;
        if (e.Args.Count == 0) return e;
        var args = e.Args.Select(a => Substitute(a, replace)).ToArray();
        return args.SequenceEqual(e.Args) ? e : Rebuild(e, args);
    }

    /// <summary>Renames symbols (e.g. x to y), re-evaluating the result.</summary>
    public static Expr Rename(Expr e, IReadOnlyDictionary<string, string> names) =>
        Substitute(e, n => n is Sym s && names.TryGetValue(s.Name, out var to) ? Sym(to) : null);

    private static Expr[] SortByKey(List<Expr> items)
    {
        var array = items.ToArray();
        // Stable sort by SymPy's sort key (List.Sort is not stable; OrderBy is).
        return array.OrderBy(e => e.SortKey).ToArray();
    }
}

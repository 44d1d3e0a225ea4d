using System.Text;
using System.Text.RegularExpressions;

namespace LatentRules.Data.Mathematics;

/// <summary>
/// Prints expressions as LaTeX in the style of the published derivations, which SymPy's LatexPrinter wrote
/// with <c>\left(</c>/<c>\right)</c> turned into plain parentheses: <c>\frac{E}{a}</c>, <c>e^{- P + w}</c>,
/// <c>\log{(k)}</c>, <c>a^{2}</c>, implicit multiplication <c>C H</c>, a leading minus <c>- \frac{E}{a^{2}}</c>,
/// <c>\sin^{H}{(f)}</c>, <c>(\frac{B}{h})^{M}</c>, <c>\operatorname{Ci}{(x)}</c>, <c>\int (x + y)^{x} dx</c>.
/// The rules mirror SymPy's _print_Add, _print_Mul (fraction with exact=True), _print_Pow and the bracket
/// rules (_needs_mul_brackets, parenthesize with traditional precedences).
/// </summary>
public static partial class LatexPrinter
{
    /// <summary>
    /// Greek letter names that print (and parse) as \name. gamma and pi are reserved for functions/constants.
    /// </summary>
    public static readonly IReadOnlySet<string> GreekNames = new HashSet<string>(StringComparer.Ordinal)
    {
        "alpha", "beta", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu", "nu", "xi",
        "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega",
        "Delta", "Theta", "Lambda", "Xi", "Sigma", "Upsilon", "Phi", "Psi", "Omega",
    };

    private const int PrecAdd = 40, PrecMul = 50, PrecPow = 60, PrecFunc = 70, PrecAtom = 1000;

    public static string Print(Expr e) => e switch
    {
        Num n => PrintNumber(n.Value),
        Sym s => GreekNames.Contains(s.Name) ? "\\" + s.Name : s.Name,
        Const c => c.Which switch { ConstantKind.Pi => "\\pi", ConstantKind.E => "e", _ => "i" },
        Add a => PrintAdd(a),
        Mul => PrintMul(e),
        Pow p => PrintPow(p),
        Fn f => PrintFunction(f, null),
        Integral i => "\\int " + Parenthesize(i.Integrand, PrecMul, strict: true) + " d" + Print(i.Variable),
        _ => throw new NotSupportedException(e.GetType().Name),
    };

    private static string PrintNumber(BigRational v)
    {
        if (v.IsInteger) return v.ToString();
        string sign = v.Sign < 0 ? "- " : "";
        return $"{sign}\\frac{{{System.Numerics.BigInteger.Abs(v.Num)}}}{{{v.Den}}}";
    }

    private static string PrintAdd(Add a)
    {
        var sb = new StringBuilder();
        var terms = Ordering.OrderedTerms(a);
        for (int i = 0; i < terms.Count; i++)
        {
            var term = terms[i];
            if (i > 0)
            {
                if (Ordering.CouldExtractMinusSign(term)) { sb.Append(" - "); term = Expr.Neg(term); }
                else sb.Append(" + ");
            }
            string tex = Print(term);
            if (term is Add) tex = "(" + tex + ")";
            sb.Append(tex);
        }
        return sb.ToString();
    }

    private static string PrintMul(Expr e)
    {
        string tex = "";
        bool closeParen = false;
        if (Ordering.CouldExtractMinusSign(e))
        {
            e = Expr.Neg(e);
            tex = "- ";
            if (e is Add) { tex += "("; closeParen = true; }
        }
        var (numer, denom) = Fraction(e);
        if (denom.Count == 0) tex += Convert(e);
        else tex += "\\frac{" + ConvertList(numer) + "}{" + ConvertList(denom) + "}";
        if (closeParen) tex += ")";
        return tex;
    }

    /// <summary>
    /// SymPy's fraction(expr, exact=True): powers with a negative numeric exponent and rational denominators go below.
    /// </summary>
    private static (List<Expr> numer, List<Expr> denom) Fraction(Expr e)
    {
        var numer = new List<Expr>();
        var denom = new List<Expr>();
        foreach (var term in Ordering.MulArgs(e))
        {
            if (term is Pow || term is Fn { Name: "exp" })
            {
                var (b, ex) = Ordering.AsBaseExp(term);
                if (IsNegativeNumber(ex))
                {
                    if (ex is Num { Value: var v } && v == BigRational.MinusOne) denom.Add(b);
                    else denom.Add(Expr.Pow(b, Expr.Neg(ex)));
                }
                else numer.Add(term);
            }
            else if (term is Num n && !n.Value.IsInteger)
            {
                if (!n.Value.Num.IsOne) numer.Add(Expr.Num(n.Value.Num));
                denom.Add(Expr.Num(n.Value.Den));
            }
            else numer.Add(term);
        }
        return (numer, denom);
    }

    private static bool IsNegativeNumber(Expr e) => e switch
    {
        Num n => n.Value.Sign < 0,
        Mul m => m.Factors[0] is Num c && c.Value.Sign < 0
                 && m.Factors.Skip(1).All(f => f is Const { Which: ConstantKind.Pi or ConstantKind.E }
                     || f is Pow { Base: Num { Value.Sign: > 0 }, Exponent: Num }),
        _ => false,
    };

    /// <summary>An unevaluated product of the given factors, printed in sort-key order.</summary>
    private static string ConvertList(List<Expr> factors) => factors.Count switch
    {
        0 => "1",
        1 => Print(factors[0]),
        _ => ConvertArgs(factors.OrderBy(f => f.SortKey).ToList()),
    };

    private static string Convert(Expr e) => e is Mul m ? ConvertArgs(m.Factors) : Print(e);

    [GeneratedRegex(@"[0-9][} ]*$")] private static partial Regex EndsWithNumber();
    [GeneratedRegex(@"^[0-9]")] private static partial Regex StartsWithNumber();

    private static string ConvertArgs(IReadOnlyList<Expr> args)
    {
        var sb = new StringBuilder();
        string last = "";
        for (int i = 0; i < args.Count; i++)
        {
            string tex = Print(args[i]);
            if (NeedsMulBrackets(args[i], first: i == 0, last: i == args.Count - 1)) tex = "(" + tex + ")";
            if (EndsWithNumber().IsMatch(last) && StartsWithNumber().IsMatch(tex)) sb.Append(" \\cdot ");
            else if (sb.Length > 0) sb.Append(' ');
            sb.Append(tex);
            last = tex;
        }
        return sb.ToString();
    }

    private static bool NeedsMulBrackets(Expr e, bool first, bool last)
    {
        if (e is Mul)
        {
            if (!first && Ordering.CouldExtractMinusSign(e)) return true;
        }
        else if (Precedence(e) < PrecMul) return true;
        if (!last && e.Any(x => x is Integral)) return true;
        return false;
    }

    /// <summary>SymPy's precedence_traditional for the node kinds of the engine.</summary>
    private static int Precedence(Expr e) => e switch
    {
        Add => PrecAdd,
        Mul => PrecMul,
        Pow => PrecPow,
        Num n when n.Value.IsInteger => n.Value.Sign < 0 ? PrecAdd : PrecAtom,
        Num n => n.Value.Sign < 0 ? PrecAdd : PrecMul,
        Fn => PrecFunc,
        Integral => PrecMul,
        _ => PrecAtom,
    };

    private static string Parenthesize(Expr e, int level, bool strict = false)
    {
        int p = Precedence(e);
        return p < level || (!strict && p <= level) ? "(" + Print(e) + ")" : Print(e);
    }

    private static string PrintPow(Pow p)
    {
        if (p.Exponent is Num { Value: var r })
        {
            if (System.Numerics.BigInteger.Abs(r.Num).IsOne && !r.Den.IsOne)
            {
                string b = Print(p.Base);
                string root = r.Den == 2 ? $"\\sqrt{{{b}}}" : $"\\sqrt[{r.Den}]{{{b}}}";
                return r.Sign < 0 ? $"\\frac{{1}}{{{root}}}" : root;
            }
            if (r.Sign < 0)
            {
                if (p.Base is Num { Value: var bv } && bv.Num.IsOne)
                    return r == BigRational.MinusOne ? $"\\frac{{1}}{{\\frac{{1}}{{{bv.Den}}}}}"
                        : $"\\frac{{1}}{{(\\frac{{1}}{{{bv.Den}}})^{{{-r}}}}}";
                return PrintMul(p);
            }
        }
        if (p.Base is Fn f) return PrintFunction(f, Print(p.Exponent));
        return Parenthesize(p.Base, PrecPow) + "^{" + Print(p.Exponent) + "}";
    }

    private static string PrintFunction(Fn f, string? exp)
    {
        switch (f.Name)
        {
            case "exp":
            case "exp_polar":
            {
                string tex = "e^{" + Print(f.Arg) + "}";
                return exp is null ? tex : "(" + tex + ")^{" + exp + "}";
            }
            case "log":
                return "\\log{(" + Print(f.Arg) + ")}" + (exp is null ? "" : "^{" + exp + "}");
            case "sin":
            case "cos":
            case "Si":
            case "Ci":
            case "Ei":
            {
                string name = f.Name is "sin" or "cos" ? "\\" + f.Name : "\\operatorname{" + f.Name + "}";
                return name + (exp is null ? "" : "^{" + exp + "}") + "{(" + Print(f.Arg) + ")}";
            }
            case "gamma":
                return "\\Gamma" + (exp is null ? "" : "^{" + exp + "}") + "(" + Print(f.Arg) + ")";
            case "lowergamma":
            case "uppergamma":
                return (f.Name == "lowergamma" ? "\\gamma" : "\\Gamma") + (exp is null ? "" : "^{" + exp + "}")
                    + "(" + Print(f.Args[0]) + ", " + Print(f.Args[1]) + ")";
            case "hyper":
            {
                var ap = f.Args.Take(f.HyperP).Select(Print);
                var bq = f.Args.Skip(f.HyperP).Take(f.Args.Count - 1 - f.HyperP).Select(Print);
                string tex = $"{{{{}}_{{{f.HyperP}}}F_{{{f.Args.Count - 1 - f.HyperP}}}(\\begin{{matrix}} " +
                    $"{string.Join(", ", ap)} \\ {string.Join(", ", bq)} \\end{{matrix}}\\middle| " +
                    $"{{{Print(f.Arg)}}})}}";
                return exp is null ? tex : "{" + tex + "}^{" + exp + "}";
            }
            default:
                throw new NotSupportedException($"no LaTeX form for function '{f.Name}'");
        }
    }
}

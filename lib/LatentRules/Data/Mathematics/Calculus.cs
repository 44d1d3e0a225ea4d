namespace LatentRules.Data.Mathematics;

/// <summary>
/// Symbolic differentiation (every function of the engine, including the special functions that appear in
/// SymPy's antiderivatives), expansion of products and integer powers of sums, and the sign tidying that
/// SymPy's simplify applies to results.
/// </summary>
public static class Calculus
{
    /// <summary>
    /// d e / d variable, in canonical form. Throws <see cref="NotSupportedException"/> for derivatives the engine
    /// cannot write (e.g. with respect to a parameter of an incomplete gamma function).
    /// </summary>
    public static Expr Differentiate(Expr e, string variable)
    {
        if (!e.Contains(variable)) return Expr.Zero;
        switch (e)
        {
            case Sym: return Expr.One;            // it contains the variable, so it is the variable
            case Add a: return Expr.Add(a.Terms.Select(t => Differentiate(t, variable)));
            case Mul m:
            {
                // SymPy's product rule: the i-th term multiplies the factors left to right with the i-th
                // differentiated.
                var terms = new List<Expr>();
                var f = m.Factors;
                for (int i = 0; i < f.Count; i++)
                {
                    var d = Differentiate(f[i], variable);
                    if (d is Num { Value.IsZero: true }) continue;
                    Expr product = Expr.One;
                    for (int j = 0; j < f.Count; j++) product = Expr.Mul(product, j == i ? d : f[j]);
                    terms.Add(product);
                }
                return Expr.Add(terms);
            }
            case Pow p:
            {
                var db = Differentiate(p.Base, variable);
                var de = Differentiate(p.Exponent, variable);
                if (de is Num { Value.IsZero: true })          // d b^n = n b^{n-1} b'
                    return Expr.Mul(p.Exponent, Expr.Pow(p.Base, Expr.Sub(p.Exponent, Expr.One)), db);
                if (db is Num { Value.IsZero: true })          // d a^u = a^u log(a) u'
                    return Expr.Mul(p, Expr.Log(p.Base), de);
                // d b^u = b^u (u' log b + u b'/b)
                return Expr.Mul(p, Expr.Add(Expr.Mul(de, Expr.Log(p.Base)),
                    Expr.Mul(p.Exponent, db, Expr.Pow(p.Base, Expr.MinusOne))));
            }
            case Fn f: return DifferentiateFunction(f, variable);
            case Integral i:
                if (i.Variable.Name == variable && !ContainsIntegral(i.Integrand)) return i.Integrand;
                throw new NotSupportedException($"derivative of an integral over {i.Variable.Name} with respect to " +
                    $"{variable}");
            default:
                return Expr.Zero;
        }
    }

    private static bool ContainsIntegral(Expr e) => e.Any(x => x is Integral);

    private static Expr DifferentiateFunction(Fn f, string v)
    {
        if (f.Name == "hyper")
        {
            // d/dz pFq(a; b; z) = (prod a / prod b) pFq(a + 1; b + 1; z)
            int p = f.HyperP, q = f.Args.Count - 1 - p;
            if (f.Args.Take(p + q).Any(a => a.Contains(v)))
                throw new NotSupportedException("derivative of a hypergeometric function with respect to a parameter");
            var ap = f.Args.Take(p).ToList();
            var bq = f.Args.Skip(p).Take(q).ToList();
            var factor = Expr.Mul(ap.Concat(bq.Select(b => Expr.Pow(b, Expr.MinusOne))));
            var shifted = Expr.Hyper(ap.Select(a => Expr.Add(a, Expr.One)).ToList(),
                bq.Select(b => Expr.Add(b, Expr.One)).ToList(), f.Arg);
            return Expr.Mul(factor, shifted, Differentiate(f.Arg, v));
        }
        if (f.Name is "lowergamma" or "uppergamma")
        {
            if (f.Args[0].Contains(v))
                throw new NotSupportedException("derivative of an incomplete gamma function with respect to its " +
                    "parameter");
            var s = f.Args[0];
            var z = f.Args[1];
            // d/dz gamma(s, z) = z^{s-1} e^{-z};  d/dz Gamma(s, z) = - z^{s-1} e^{-z}
            var density = Expr.Mul(Expr.Pow(z, Expr.Sub(s, Expr.One)), Expr.Exp(Expr.Neg(z)));
            return Expr.Mul(f.Name == "lowergamma" ? Expr.One : Expr.MinusOne, density, Differentiate(z, v));
        }
        var u = f.Arg;
        var du = Differentiate(u, v);
        Expr outer = f.Name switch
        {
            "exp" => f,
            "exp_polar" => f,
            "log" => Expr.Pow(u, Expr.MinusOne),
            "sin" => Expr.Cos(u),
            "cos" => Expr.Neg(Expr.Sin(u)),
            "Si" => Expr.Div(Expr.Sin(u), u),
            "Ci" => Expr.Div(Expr.Cos(u), u),
            "Ei" => Expr.Div(Expr.Exp(u), u),
            _ => throw new NotSupportedException($"derivative of '{f.Name}'"),
        };
        return Expr.Mul(outer, du);
    }

    /// <summary>
    /// Multiplies out products of sums and positive integer powers of sums (recursively, inside functions
    /// too), so that a polynomial expression becomes a sum of monomials. Equal polynomials expand equally.
    /// </summary>
    public static Expr Expand(Expr e)
    {
        switch (e)
        {
            case Add a: return Expr.Add(a.Terms.Select(Expand));
            case Mul m:
            {
                Expr result = Expr.One;
                foreach (var f in m.Factors) result = Distribute(result, Expand(f));
                return result;
            }
            case Pow p:
            {
                var b = Expand(p.Base);
                var x = Expand(p.Exponent);
                if (b is Add && x is Num { Value: { IsInteger: true } n } && n.Sign > 0 && n.Num <= 12)
                {
                    Expr result = Expr.One;
                    for (int i = 0; i < (int)n.Num; i++) result = Distribute(result, b);
                    return result;
                }
                return Expr.Pow(b, x);
            }
            case Fn f when f.Name != "hyper":
                return Expr.Function(f.Name, f.Args.Select(Expand).ToArray());
            default:
                return e;
        }
    }

    private static Expr Distribute(Expr a, Expr b)
    {
        var left = a is Add sa ? sa.Terms : new[] { a };
        var right = b is Add sb ? sb.Terms : new[] { b };
        if (left.Count == 1 && right.Count == 1) return Expr.Mul(a, b);
        return Expr.Add(left.SelectMany(x => right.Select(y => Expr.Mul(x, y))));
    }

    /// <summary>
    /// A sum without its terms that do not contain <paramref name="variable"/> (they vanish under d/dv, so an
    /// antiderivative written from its derivative cannot show them); other expressions are returned as they are.
    /// </summary>
    public static Expr WithoutTermsFree(Expr e, string variable) =>
        e is Add a ? Expr.Add(a.Terms.Where(t => t.Contains(variable))) : e;

    /// <summary>True when <see cref="Expand"/> would leave the expression unchanged.</summary>
    public static bool IsExpanded(Expr e) => Expand(e).Equals(e);

    /// <summary>
    /// The sign tidying of SymPy's simplify that the published results show: a product with a negative
    /// coefficient and a sum factor that prefers the other sign takes the sign into the sum
    /// (<c>- \frac{- K + o}{t^{2}}</c> becomes <c>\frac{K - o}{t^{2}}</c>), applied bottom-up.
    /// </summary>
    public static Expr TidySigns(Expr e)
    {
        switch (e)
        {
            case Add a: return Expr.Add(a.Terms.Select(TidySigns));
            case Mul m:
            {
                var factors = m.Factors.Select(TidySigns).ToList();
                var product = Expr.Mul(factors);
                if (product is Mul pm && pm.Coefficient.Sign < 0)
                {
                    int k = pm.Factors.ToList().FindIndex(f => f is Add && Ordering.CouldExtractMinusSign(f));
                    if (k < 0)
                        k = pm.Factors.ToList().FindIndex(f =>
                            f is Pow { Base: Add pb, Exponent: Num { Value.IsInteger: true } pe }
                            && !pe.Value.Num.IsEven && Ordering.CouldExtractMinusSign(pb));
                    if (k >= 0)
                    {
                        var flipped = pm.Factors.Select((f, i) => i == k ? Negated(f) : f).ToList();
                        flipped[0] = Expr.Num(-pm.Coefficient);
                        if (pm.Coefficient == BigRational.MinusOne) flipped.RemoveAt(0);
                        return Expr.Mul(flipped);
                    }
                }
                return product;
            }
            case Pow p: return Expr.Pow(TidySigns(p.Base), TidySigns(p.Exponent));
            case Fn f when f.Name != "hyper": return Expr.Function(f.Name, f.Args.Select(TidySigns).ToArray());
            default: return e;
        }
    }

    /// <summary>-f for a sum, or (-b)^n for an odd power of a sum.</summary>
    private static Expr Negated(Expr f) => f switch
    {
        Pow { Base: Add b } p => Expr.Pow(Expr.Neg(b), p.Exponent),
        _ => Expr.Neg(f),
    };
}

using System.Numerics;

namespace LatentRules.Data.Mathematics;

/// <summary>
/// Evaluates an expression at complex values of its symbols (principal branches: log has its cut on the
/// negative axis, z^s = e^{s log z}). SymPy's exp_polar(a) factors are honoured in powers and incomplete
/// gamma functions: (z e^{a})^s = e^{s (log z + a)}, which is how SymPy's antiderivatives of e^{x^n} stay right.
/// Special functions (Si, Ci, Ei, gamma, incomplete gamma, pFq) are summed from their power series, which
/// is accurate for the moderate arguments the verifier uses (|z| up to about 20).
/// </summary>
public static class NumericEvaluator
{
    public static readonly IReadOnlyDictionary<string, Complex> NoSymbols = new Dictionary<string, Complex>();

    private const double EulerGamma = 0.57721566490153286060651209;

    public static Complex Evaluate(Expr e, IReadOnlyDictionary<string, Complex> values)
    {
        switch (e)
        {
            case Num n: return new Complex(n.Value.ToDouble(), 0);
            case Sym s:
                return values.TryGetValue(s.Name, out var v) ? v
                    : throw new ArgumentException($"no value for symbol '{s.Name}'");
            case Const c:
                return c.Which switch
                {
                    ConstantKind.Pi => Math.PI,
                    ConstantKind.E => Math.E,
                    _ => Complex.ImaginaryOne
                };
            case Add a:
            {
                Complex sum = 0;
                foreach (var t in a.Terms) sum += Evaluate(t, values);
                return sum;
            }
            case Mul m:
            {
                Complex product = 1;
                foreach (var f in m.Factors) product *= Evaluate(f, values);
                return product;
            }
            case Pow p: return EvaluatePow(p, values);
            case Fn f: return EvaluateFunction(f, values);
            case Integral:
                throw new NotSupportedException("an unevaluated integral has no numeric value");
            default: throw new NotSupportedException(e.GetType().Name);
        }
    }

    private static Complex EvaluatePow(Pow p, IReadOnlyDictionary<string, Complex> values)
    {
        if (p.Exponent is Num n && n.Value.IsInteger && System.Numerics.BigInteger.Abs(n.Value.Num) <= 64)
        {
            var b = Evaluate(p.Base, values);
            int k = (int)n.Value.Num;
            if (b == Complex.Zero && k < 0) throw new DivideByZeroException("0 to a negative power");
            return IntegerPower(b, k);
        }
        var s = Evaluate(p.Exponent, values);
        if (HasPolarFactor(p.Base)) return Complex.Exp(s * PolarLog(p.Base, values));
        var z = Evaluate(p.Base, values);
        if (z == Complex.Zero)
        {
            if (s.Real > 0) return Complex.Zero;
            throw new DivideByZeroException("0 to a non-positive power");
        }
        return Complex.Exp(s * Complex.Log(z));
    }

    private static Complex IntegerPower(Complex b, int k)
    {
        bool invert = k < 0;
        int m = Math.Abs(k);
        Complex result = 1, square = b;
        while (m > 0)
        {
            if ((m & 1) != 0) result *= square;
            square *= square;
            m >>= 1;
        }
        return invert ? 1 / result : result;
    }

    private static bool HasPolarFactor(Expr e) =>
        e is Fn { Name: "exp_polar" } || e is Mul m && m.Factors.Any(f => f is Fn { Name: "exp_polar" });

    /// <summary>
    /// log of a value that may carry exp_polar factors: log of the ordinary part plus their exponents.
    /// </summary>
    private static Complex PolarLog(Expr e, IReadOnlyDictionary<string, Complex> values)
    {
        Complex extra = 0, ordinary = 1;
        foreach (var f in Ordering.MulArgs(e))
        {
            if (f is Fn { Name: "exp_polar" } ep) extra += Evaluate(ep.Arg, values);
            else ordinary *= Evaluate(f, values);
        }
        return Complex.Log(ordinary) + extra;
    }

    private static Complex EvaluateFunction(Fn f, IReadOnlyDictionary<string, Complex> values)
    {
        if (f.Name == "hyper")
        {
            var ap = f.Args.Take(f.HyperP).Select(a => Evaluate(a, values)).ToArray();
            var bq = f.Args.Skip(f.HyperP).Take(f.Args.Count - 1 - f.HyperP).Select(a => Evaluate(a, values)).ToArray();
            return Hypergeometric(ap, bq, Evaluate(f.Arg, values));
        }
        if (f.Name is "lowergamma" or "uppergamma")
        {
            var s = Evaluate(f.Args[0], values);
            var zLog =
                HasPolarFactor(f.Args[1]) ? PolarLog(f.Args[1], values) : Complex.Log(Evaluate(f.Args[1], values));
            var lower = LowerGamma(s, zLog);
            return f.Name == "lowergamma" ? lower : Gamma(s) - lower;
        }
        var x = Evaluate(f.Arg, values);
        return f.Name switch
        {
            "exp" or "exp_polar" => Complex.Exp(x),
            "log" => x == Complex.Zero ? throw new DivideByZeroException("log(0)") : Complex.Log(x),
            "sin" => Complex.Sin(x),
            "cos" => Complex.Cos(x),
            "Si" => SineIntegral(x),
            "Ci" => CosineIntegral(x),
            "Ei" => ExponentialIntegral(x),
            "gamma" => Gamma(x),
            _ => throw new NotSupportedException($"no numeric value for function '{f.Name}'"),
        };
    }

    private static void CheckSeriesRange(Complex z, string name)
    {
        if (z.Magnitude > 40)
            throw new NotSupportedException($"{name} of an argument this large (|z| = {z.Magnitude:G3}) is outside " +
                $"the series' accurate range");
    }

    /// <summary>Si(z) = sum (-1)^k z^{2k+1} / ((2k+1) (2k+1)!).</summary>
    public static Complex SineIntegral(Complex z)
    {
        CheckSeriesRange(z, "Si");
        Complex term = z, sum = z;          // term = (-1)^k z^{2k+1} / (2k+1)!
        for (int k = 1; k < 400; k++)
        {
            term *= -z * z / ((2.0 * k) * (2.0 * k + 1));
            var add = term / (2.0 * k + 1);
            sum += add;
            if (add.Magnitude < 1e-17 * Math.Max(1, sum.Magnitude)) break;
        }
        return sum;
    }

    /// <summary>Ci(z) = gamma + log z + sum (-1)^k z^{2k} / (2k (2k)!).</summary>
    public static Complex CosineIntegral(Complex z)
    {
        CheckSeriesRange(z, "Ci");
        if (z == Complex.Zero) throw new DivideByZeroException("Ci(0)");
        Complex term = 1, sum = 0;
        for (int k = 1; k < 400; k++)
        {
            term *= -z * z / ((2.0 * k - 1) * (2.0 * k));
            var add = term / (2.0 * k);
            sum += add;
            if (add.Magnitude < 1e-17 * Math.Max(1, sum.Magnitude)) break;
        }
        return EulerGamma + Complex.Log(z) + sum;
    }

    /// <summary>Ei(z) = gamma + log z + sum z^k / (k k!).</summary>
    public static Complex ExponentialIntegral(Complex z)
    {
        CheckSeriesRange(z, "Ei");
        if (z == Complex.Zero) throw new DivideByZeroException("Ei(0)");
        Complex term = 1, sum = 0;
        for (int k = 1; k < 400; k++)
        {
            term *= z / k;
            var add = term / k;
            sum += add;
            if (add.Magnitude < 1e-17 * Math.Max(1, sum.Magnitude)) break;
        }
        return EulerGamma + Complex.Log(z) + sum;
    }

    private static readonly double[] Lanczos =
    {
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
    };

    /// <summary>Euler's gamma function (Lanczos, g = 7, with reflection for Re z &lt; 1/2).</summary>
    public static Complex Gamma(Complex z)
    {
        if (z.Real < 0.5)
        {
            var s = Complex.Sin(Math.PI * z);
            if (s == Complex.Zero) throw new DivideByZeroException("gamma at a non-positive integer");
            return Math.PI / (s * Gamma(1 - z));
        }
        z -= 1;
        Complex x = Lanczos[0];
        for (int i = 1; i < Lanczos.Length; i++) x += Lanczos[i] / (z + i);
        var t = z + 7.5;
        return Math.Sqrt(2 * Math.PI) * Complex.Pow(t, z + 0.5) * Complex.Exp(-t) * x;
    }

    /// <summary>
    /// gamma(s, z) = z^s e^{-z} sum z^k / (s (s+1) ... (s+k)), given log z (so polar arguments work).
    /// </summary>
    public static Complex LowerGamma(Complex s, Complex logZ)
    {
        var z = Complex.Exp(logZ);
        CheckSeriesRange(z, "lowergamma");
        Complex term = 1 / s, sum = term;
        for (int k = 1; k < 2000; k++)
        {
            term *= z / (s + k);
            sum += term;
            if (term.Magnitude < 1e-17 * Math.Max(1, sum.Magnitude)) break;
        }
        return Complex.Exp(s * logZ - z) * sum;
    }

    /// <summary>pFq(a; b; z) by its series (entire when p &lt;= q; |z| &lt; 1 needed when p = q + 1).</summary>
    public static Complex Hypergeometric(Complex[] a, Complex[] b, Complex z)
    {
        if (a.Length > b.Length + 1 || (a.Length == b.Length + 1 && z.Magnitude >= 1))
            throw new NotSupportedException("hypergeometric series outside its disc of convergence");
        CheckSeriesRange(z, "hyper");
        Complex term = 1, sum = 1;
        for (int k = 0; k < 4000; k++)
        {
            Complex ratio = z / (k + 1);
            foreach (var ai in a) ratio *= ai + k;
            foreach (var bj in b)
            {
                if (bj + k == Complex.Zero)
                    throw new DivideByZeroException("hypergeometric with a non-positive integer lower parameter");
                ratio /= bj + k;
            }
            term *= ratio;
            sum += term;
            if (term.Magnitude < 1e-17 * Math.Max(1, sum.Magnitude) && k > 2) break;
        }
        return sum;
    }
}

using System.Numerics;
using LatentRules.Randomness;

namespace LatentRules.Data.Mathematics;

/// <summary>
/// Decides whether a candidate conclusion is the result of applying a rule to a premise with respect to a
/// variable:
/// <list type="bullet">
/// <item>differentiation: the candidate equals d premise / d v, symbolically (canonical forms equal) or else
///   numerically at random points;</item>
/// <item>integration: d candidate / d v equals the premise (so any antiderivative passes, whatever its
///   constant), symbolically or numerically;</item>
/// <item>expansion: the candidate is fully expanded and equals the premise.</item>
/// </list>
/// Numeric comparison: 8 points with every symbol drawn from [0.6, 1.9] (real), and, if that fails,
/// 8 points near the positive real axis (modulus in [0.6, 1.9], argument in [-0.6, 0.6]). A set passes when
/// at least 3 of its points evaluate on both sides and all of those agree to a relative 1e-7 (relative to the
/// larger of the values and of the summed term magnitudes, which absorbs cancellation). Real points come
/// first because SymPy's answers with polar numbers (e^{i \pi} inside \gamma) are right on the principal
/// branch there. The points are seeded from the inputs, so a verdict is reproducible.
/// </summary>
public static class MathVerifier
{
    public const int PointsPerSet = 8;
    public const int MinValidPoints = 3;
    public const double RelativeTolerance = 1e-7;

    /// <summary>
    /// Verifies LaTeX strings; an unparseable premise or candidate is a "no" with the parser's reason.
    /// </summary>
    public static Verdict Verify(string rule, string premise, string variable, string candidate)
    {
        var p = LatexParser.TryParse(premise, out var premiseError);
        if (p is null) return Verdict.No($"premise does not parse: {premiseError}");
        var c = LatexParser.TryParse(candidate, out var candidateError);
        if (c is null) return Verdict.No($"conclusion does not parse: {candidateError}");
        return Verify(rule, p, variable, c);
    }

    public static Verdict Verify(string rule, Expr premise, string variable, Expr candidate)
    {
        try
        {
            switch (rule)
            {
                case "differentiation":
                {
                    var expected = Calculus.Differentiate(premise, variable);
                    if (candidate.Equals(expected) || candidate.Equals(Calculus.TidySigns(expected)))
                        return Verdict.Yes("equals the derivative");
                    return Compare(candidate, expected, variable, "the derivative");
                }
                case "integration":
                {
                    Expr derivative;
                    try { derivative = Calculus.Differentiate(candidate, variable); }
                    catch (NotSupportedException e)
                    {
                        return Verdict.No($"cannot differentiate the candidate: {e.Message}");
                    }
                    if (derivative.Equals(premise)) return Verdict.Yes("its derivative equals the premise");
                    return Compare(derivative, premise, variable,
                        "the premise (derivative of the candidate vs premise)");
                }
                case "expansion":
                {
                    if (!Calculus.IsExpanded(candidate)) return Verdict.No("not fully expanded");
                    if (candidate.Equals(Calculus.Expand(premise))) return Verdict.Yes("equals the expansion");
                    return Compare(candidate, premise, variable, "the premise");
                }
                default:
                    return Verdict.No($"unknown rule '{rule}' (known: {string.Join(", ", MathLines.Operators)})");
            }
        }
        catch (Exception e) when (e is NotSupportedException or ArithmeticException or ArgumentException)
        {
            return Verdict.No($"cannot check: {e.Message}");
        }
    }

    private static Verdict Compare(Expr a, Expr b, string variable, string what)
    {
        var result = NumericallyEqual(a, b, variable);
        return result.equal
            ? Verdict.Yes($"numerically equal to {what} ({result.detail})")
            : Verdict.No($"differs from {what}: {result.detail}");
    }

    /// <summary>
    /// Numeric equality at seeded random points (see the class summary). Detail says where it failed or how it passed.
    /// </summary>
    public static (bool equal, string detail) NumericallyEqual(Expr a, Expr b, string? variable = null)
    {
        var symbols = a.FreeSymbols.Union(b.FreeSymbols).Append(variable ?? "x").Distinct()
            .OrderBy(s => s, StringComparer.Ordinal).ToArray();
        var rng = new SeededRandom(SeededRandom.Fnv1a(LatexPrinter.Print(a) + "\u0001" + LatexPrinter.Print(b)));
        string lastDetail = "";
        foreach (bool complex in new[] { false, true })
        {
            int valid = 0;
            string? mismatch = null;
            for (int k = 0; k < PointsPerSet && mismatch is null; k++)
            {
                var values = new Dictionary<string, Complex>(StringComparer.Ordinal);
                foreach (var s in symbols)
                {
                    double r = 0.6 + 1.3 * rng.NextDouble();
                    double theta = complex ? (rng.NextDouble() * 1.2 - 0.6) : 0;
                    values[s] = Complex.FromPolarCoordinates(r, theta);
                }
                if (!TryEvaluate(a, values, out var va, out var scaleA)
                    || !TryEvaluate(b, values, out var vb, out var scaleB)) continue;
                valid++;
                double scale = Math.Max(1, Math.Max(Math.Max(va.Magnitude, vb.Magnitude), Math.Max(scaleA, scaleB)));
                if ((va - vb).Magnitude > RelativeTolerance * scale)
                    mismatch = $"{string.Join(", ", values.Select(kv => $"{kv.Key}={Format(kv.Value)}"))}: " +
                        $"{Format(va)} vs {Format(vb)}";
            }
            string kind = complex ? "complex" : "real";
            if (mismatch is null && valid >= MinValidPoints) return (true, $"{valid} {kind} points");
            if (lastDetail.Length == 0)   // report the real points' failure: easier to read than a complex one
                lastDetail = mismatch is not null ? $"at {kind} point {mismatch}"
                    : $"only {valid} {kind} point(s) could be evaluated";
        }
        return (false, lastDetail);
    }

    private static bool TryEvaluate(Expr e, IReadOnlyDictionary<string, Complex> values, out Complex value,
        out double scale)
    {
        try
        {
            value = NumericEvaluator.Evaluate(e, values);
            scale = 0;
            if (e is Add sum)
                foreach (var t in sum.Terms) scale += NumericEvaluator.Evaluate(t, values).Magnitude;
            return double.IsFinite(value.Real) && double.IsFinite(value.Imaginary) && double.IsFinite(scale)
                && value.Magnitude < 1e200;
        }
        catch (Exception ex) when (ex is ArithmeticException or NotSupportedException or ArgumentException)
        {
            value = default;
            scale = 0;
            return false;
        }
    }

    private static string Format(Complex c) =>
        c.Imaginary == 0
            ? c.Real.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)
            : $"{c.Real.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)}" +
              $"{(c.Imaginary < 0 ? "-" : "+")}" +
              $"{Math.Abs(c.Imaginary).ToString("G6", System.Globalization.CultureInfo.InvariantCulture)}i";
}

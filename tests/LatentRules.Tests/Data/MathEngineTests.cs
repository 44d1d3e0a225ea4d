using LatentRules.Data;
using LatentRules.Data.Mathematics;
using LatentRules.Randomness;

namespace LatentRules.Tests.Data;

/// <summary>The expression engine, its LaTeX printer and parser, calculus and the verifier, on hand-worked
/// cases.</summary>
public sealed class MathEngineTests
{
    private static readonly Sym X = Expr.Sym("x"), Y = Expr.Sym("y");

    private static string D(string latex, string v) =>
        LatexPrinter.Print(Calculus.TidySigns(Calculus.Differentiate(LatexParser.Parse(latex), v)));

    [Theory]
    // Hand-differentiated: chain, product, quotient, power and exponential rules.
    [InlineData("x^{3}", "x", "3 x^{2}")]
    [InlineData("\\sin{(x^{2})}", "x", "2 x \\cos{(x^{2})}")]
    [InlineData("\\log{(x)}", "x", "\\frac{1}{x}")]
    [InlineData("\\frac{E}{a}", "a", "- \\frac{E}{a^{2}}")]
    [InlineData("e^{- P + w}", "w", "e^{- P + w}")]
    [InlineData("x e^{x}", "x", "x e^{x} + e^{x}")]
    [InlineData("\\cos{(y x)}", "x", "- y \\sin{(x y)}")]
    [InlineData("T + \\log{(k)}", "T", "1")]
    [InlineData("a^{x}", "x", "a^{x} \\log{(a)}")]
    [InlineData("\\log{(I^{p})}", "p", "\\log{(I)}")]
    public void DerivativesMatchHandWork(string premise, string v, string expected) =>
        Assert.Equal(expected, D(premise, v));

    [Fact]
    public void CanonicalFormMakesEqualExpressionsPrintEqually()
    {
        Assert.Equal(Expr.Mul(X, Y), Expr.Mul(Y, X));
        Assert.Equal("5 x", LatexPrinter.Print(Expr.Add(Expr.Mul(2, X), Expr.Mul(3, X))));
        Assert.Equal("x^{5}", LatexPrinter.Print(Expr.Mul(Expr.Pow(X, 2), Expr.Pow(X, 3))));
        Assert.Equal("0", LatexPrinter.Print(Expr.Sub(Expr.Sin(X), Expr.Sin(X))));
        Assert.Equal("\\frac{3}{4}", LatexPrinter.Print(Expr.Add(Expr.Num(1, 2), Expr.Num(1, 4))));
        Assert.Equal("- \\sin{(x)}", LatexPrinter.Print(Expr.Sin(Expr.Neg(X))));
        Assert.Equal("C H", LatexPrinter.Print(LatexParser.Parse("C H")));
        Assert.Equal(LatexParser.Parse("C H"), LatexParser.Parse("H C"));
        Assert.Equal("x", LatexPrinter.Print(Expr.Exp(Expr.Log(X))));
    }

    [Fact]
    public void ParserAndPrinterRoundTripSampledExpressions()
    {
        var sampler = new ExpressionSampler();
        var rng = new SeededRandom(3, "roundtrip");
        for (int i = 0; i < 2000; i++)
        {
            var symbols = sampler.Symbols(rng);
            var e = sampler.Sample(rng, symbols, symbols[0]);
            string printed = LatexPrinter.Print(e);
            var back = LatexParser.Parse(printed);
            Assert.True(e.Equals(back), $"{printed} parsed back as {LatexPrinter.Print(back)}");
        }
    }

    [Theory]
    [InlineData("\\frac{x}{", "column")]
    [InlineData("x + + ", "column")]
    [InlineData("\\tan{(x)}", "tan")]
    public void BadLatexIsRefusedWithItsPosition(string latex, string mentioned)
    {
        var e = Assert.ThrowsAny<FormatException>(() => LatexParser.Parse(latex));
        Assert.Contains(mentioned, e.Message);
        Assert.Null(LatexParser.TryParse(latex, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void IntegrationAcceptsAnyAntiderivativeAndNothingElse()
    {
        // d/dx (x^2 y) = 2 x y: every F + C with C free of x is right, F + x is not.
        Assert.True(MathVerifier.Verify("integration", "2 x y", "x", "x^{2} y").Correct);
        Assert.True(MathVerifier.Verify("integration", "2 x y", "x", "x^{2} y + 7").Correct);
        Assert.True(MathVerifier.Verify("integration", "2 x y", "x", "x^{2} y + \\sin{(y)}").Correct);
        Assert.False(MathVerifier.Verify("integration", "2 x y", "x", "x^{2} y + x").Correct);
        Assert.False(MathVerifier.Verify("integration", "2 x y", "x", "x^{2}").Correct);
        // A correct derivative printed in another (non-canonical) way still counts: numeric check.
        Assert.True(MathVerifier.Verify("differentiation", "\\sin{(x)}^{2}", "x", "\\sin{(2 x)}").Correct);
        Assert.False(MathVerifier.Verify("differentiation", "\\sin{(x)}^{2}", "x", "\\cos{(2 x)}").Correct);
    }

    [Fact]
    public void VerifierSaysWhyItRefuses()
    {
        Assert.Contains("does not parse", MathVerifier.Verify("differentiation", "x^{2}", "x", "2 x +").Reason);
        Assert.Contains("unknown rule 'summation'", MathVerifier.Verify("summation", "x", "x", "x").Reason);
        Assert.Contains("differs from", MathVerifier.Verify("differentiation", "x^{2}", "x", "3 x").Reason);
    }

    [Fact]
    public void ExpansionMultipliesOut()
    {
        var e = Calculus.Expand(LatexParser.Parse("(x + y)^{2}"));
        Assert.Equal("x^{2} + 2 x y + y^{2}", LatexPrinter.Print(e));
        Assert.True(MathVerifier.Verify("expansion", "(x + y)^{2}", "x", "x^{2} + 2 x y + y^{2}").Correct);
        // equal but not expanded
        Assert.False(MathVerifier.Verify("expansion", "(x + y)^{2}", "x", "(x + y)^{2}").Correct);
        Assert.False(MathVerifier.Verify("expansion", "(x + y)^{2}", "x", "x^{2} + y^{2}").Correct);
    }
}

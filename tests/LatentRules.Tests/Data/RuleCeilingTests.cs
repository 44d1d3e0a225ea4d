using LatentRules.Data;
using LatentRules.Data.Mathematics;
using Xunit.Abstractions;

namespace LatentRules.Tests.Data;

public sealed class RuleCeilingTests(ITestOutputHelper output)
{
    private static readonly Sym X = Expr.Sym("x");

    private static ReasoningExample Item(string rule, Expr premise, Expr conclusion, string variable = "x") =>
        new("t", "math", rule, new[] { LatexPrinter.Print(premise) }, LatexPrinter.Print(conclusion),
            new Dictionary<string, string> { ["variable"] = variable });

    [Fact]
    public void FlagsPremiseEqualToConclusionAsExpressions()
    {
        var exp = Expr.Mul(Expr.Num(3), Expr.Exp(X));
        Assert.True(RuleCeiling.PremiseEqualsConclusion(Item("differentiation", exp, exp)));
        // Imported lines may space or order terms differently: compared as parsed expressions.
        var spaced = new ReasoningExample("t", "math", "integration", new[] { "x + 3e^{x}" }, "3 e^{x} + x");
        Assert.True(RuleCeiling.PremiseEqualsConclusion(spaced));
        Assert.False(
            RuleCeiling.PremiseEqualsConclusion(Item("differentiation", Expr.Pow(X, Expr.Two), Expr.Mul(Expr.Two, X))));
    }

    [Fact]
    public void FittingRulesAndTheCeilingFollowTheVerifier()
    {
        var both = new[] { "differentiation", "integration" };
        var expX = Item("differentiation", Expr.Exp(X), Expr.Exp(X));                              // (e^x)' = e^x
        var square = Item("differentiation", Expr.Pow(X, Expr.Two), Expr.Mul(Expr.Two, X));          // only d/dx fits
        // d/dx and the integral agree
        var expMinus = Item("integration", Expr.Exp(Expr.Neg(X)), Expr.Neg(Expr.Exp(Expr.Neg(X))));
        var otherVariable = Item("differentiation", Expr.Exp(X), Expr.Zero, variable: "y");           // d/dy e^x = 0
        Assert.Equal(both, RuleCeiling.FittingRules(expX, both));
        Assert.Equal(new[] { "differentiation" }, RuleCeiling.FittingRules(square, both));
        Assert.Equal(both, RuleCeiling.FittingRules(expMinus, both));
        // fits both without being equal
        Assert.False(RuleCeiling.PremiseEqualsConclusion(expMinus));
        Assert.Equal(new[] { "differentiation" }, RuleCeiling.FittingRules(otherVariable, both));
        Assert.Equal((0.5 + 1 + 0.5 + 1) / 4, RuleCeiling.Of(new[] { expX, square, expMinus, otherVariable }, both),
            12);
        Assert.Equal(1.0, RuleCeiling.Of(new[] { square, otherVariable }, both));
        Assert.Throws<ArgumentException>(() => RuleCeiling.Of(Array.Empty<ReasoningExample>()));
    }

    [Fact]
    public void GeneratedItemsWithPremiseEqualToConclusionFitBothRules()
    {
        var data = new MathTask().Generate(new GenerationOptions(Size: 600, Seed: 1));
        var items = data.Train.Concat(data.Valid).Concat(data.Test).ToList();
        var flagged = items.Where(RuleCeiling.PremiseEqualsConclusion).ToList();
        // the generator does make them (c e^{v} under both rules)
        Assert.NotEmpty(flagged);
        Assert.All(flagged, e => Assert.Equal(MathTask.PaperRules, RuleCeiling.FittingRules(e, MathTask.PaperRules)));
        // generated lines print canonically: equal as text too
        Assert.All(flagged, e => Assert.Equal(e.Premises[0], e.Conclusion));
        double ceiling = RuleCeiling.Of(items);
        output.WriteLine($"{flagged.Count} of {items.Count} items have premise = conclusion; ceiling {ceiling:F3}; " +
            $"test split {data.Test.Count(RuleCeiling.PremiseEqualsConclusion)} of {data.Test.Count}, ceiling " +
            $"{RuleCeiling.Of(data.Test):F3}");
        Assert.True(ceiling <= 1 - 0.5 * flagged.Count / items.Count + 1e-12,
            $"ceiling {ceiling} with {flagged.Count} of {items.Count} flagged");
    }
}

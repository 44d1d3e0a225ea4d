using LatentRules.Randomness;

namespace LatentRules.Data.Mathematics;

/// <summary>
/// Mathematical reasoning: a rule is an operator applied to a premise expression with respect to a
/// variable. The premise and conclusion are LaTeX in the style of the published derivations.
/// <list type="bullet">
/// <item>differentiation: premise P, conclusion dP/dv (canonical, signs tidied as SymPy's simplify does);</item>
/// <item>integration: made exactly by differentiating a random antiderivative F (its terms free of v
///   dropped): premise dF/dv, conclusion F;</item>
/// <item>expansion (opt-in, not in the study): premise a product or integer power of sums, conclusion
///   the multiplied-out sum. It adds a rule whose conclusion keeps the premise's value.</item>
/// </list>
/// Test splits hold out whole premise skeletons (the expression with its letters and numbers blanked), so
/// a model is tested on expression shapes it never saw.
/// </summary>
public sealed class MathTask : IReasoningTask
{
    /// <summary>The study's two operators.</summary>
    public static readonly IReadOnlyList<string> PaperRules = new[] { "differentiation", "integration" };

    private readonly ExpressionSampler _sampler;
    private readonly double _heldOutShare;

    /// <param name="rules">operators to generate (default: differentiation and integration, as in the study;
    /// "expansion" may be added)</param>
    /// <param name="shape">size limits of sampled expressions</param>
    /// <param name="heldOutShare">share of premise skeletons kept for the test split (default 0.2)</param>
    public MathTask(IReadOnlyList<string>? rules = null, ExpressionShape? shape = null, double heldOutShare = 0.2)
    {
        if (heldOutShare <= 0 || heldOutShare >= 1)
            throw new ArgumentOutOfRangeException(nameof(heldOutShare), heldOutShare,
                "must lie strictly between 0 and 1");
        _heldOutShare = heldOutShare;
        Rules = rules ?? PaperRules;
        foreach (var r in Rules)
            if (!MathLines.Operators.Contains(r))
                throw new ArgumentException($"unknown math rule '{r}' (known: " +
                    $"{string.Join(", ", MathLines.Operators)})");
        _sampler = new ExpressionSampler(shape);
    }

    public string Name => "math";

    public IReadOnlyList<string> Rules { get; }

    /// <summary>
    /// None: math holds out premise skeletons, not words (test items use the letters and numbers train does).
    /// </summary>
    public IReadOnlyList<string> Lexicon => Array.Empty<string>();

    /// <summary>Generates the splits; the paper's size is Size = 40,000 (32,000 train + valid + test).</summary>
    public DatasetSplits Generate(GenerationOptions options) =>
        SplitBuilder.Build(Name, Rules, options, (rule, _, rng) => Draw(rule, rng, options));

    /// <summary>Yes: any premise expression can be differentiated, integrated or expanded.</summary>
    public bool AnyRuleAppliesToAnyPremises => true;

    /// <summary>
    /// "performing &lt;operator&gt;": the words that begin every line of the published derivations
    /// (<see cref="MathLines"/>).
    /// </summary>
    public string? RuleText(ReasoningExample example) => $"performing {example.Rule}";

    public Verdict Verify(ReasoningExample example, string candidateConclusion)
    {
        if (example.Premises.Count != 1)
            return Verdict.No($"{example.Id}: a math example has one premise, found {example.Premises.Count}");
        var variable = example.Field("variable");
        if (string.IsNullOrEmpty(variable)) return Verdict.No($"{example.Id}: no 'variable' field");
        return MathVerifier.Verify(example.Rule, example.Premises[0], variable, candidateConclusion);
    }

    /// <summary>
    /// One candidate example of a rule, or null when this draw is unusable (too long, zero, ...). Whether it is held
    /// out shows only once drawn (its premise's skeleton), so the builder's request is not used: every draw lands
    /// on the side its skeleton belongs to.
    /// </summary>
    private SplitBuilder.Candidate? Draw(string rule, SeededRandom rng, GenerationOptions options)
    {
        var symbols = _sampler.Symbols(rng);
        var v = symbols[0];
        Expr premise, conclusion;
        try
        {
            switch (rule)
            {
                case "differentiation":
                    premise = _sampler.Sample(rng, symbols, v);
                    conclusion = Calculus.TidySigns(Calculus.Differentiate(premise, v.Name));
                    break;
                case "integration":
                    var antiderivative = Calculus.WithoutTermsFree(_sampler.Sample(rng, symbols, v), v.Name);
                    premise = Calculus.TidySigns(Calculus.Differentiate(antiderivative, v.Name));
                    conclusion = antiderivative;
                    break;
                case "expansion":
                    premise = ProductOfSums(rng, symbols);
                    conclusion = Calculus.Expand(premise);
                    if (conclusion.Equals(premise)) return null;
                    // the variable only names a letter here
                    v = symbols.FirstOrDefault(s => premise.Contains(s.Name)) ?? v;
                    break;
                default:
                    throw new ArgumentException($"unknown math rule '{rule}'");
            }
        }
        catch (Exception e) when (e is ArithmeticException or NotSupportedException)
        {
            return null;
        }
        if (premise is Num || conclusion is Num { Value.IsZero: true }) return null;
        string p = LatexPrinter.Print(premise), c = LatexPrinter.Print(conclusion);
        if (!_sampler.Fits(p, c)) return null;
        string skeleton = ExpressionSampler.Skeleton(premise);
        var example = new ReasoningExample("", Name, rule, new[] { p }, c,
            new Dictionary<string, string> { ["variable"] = v.Name, ["skeleton"] = skeleton });
        bool heldOut =
            options.TestFraction > 0 && SplitBuilder.IsHeldOutGroup(options.Seed, Name, skeleton, _heldOutShare);
        return new SplitBuilder.Candidate(example, heldOut, DatasetSummary.ContentKey(example));
    }

    /// <summary>(a + b)(c + d) or (a + b)^n with small leaves: the premises of the expansion rule.</summary>
    private static Expr ProductOfSums(SeededRandom rng, IReadOnlyList<Sym> symbols)
    {
        Expr Leaf() => rng.Next(4) == 0 ? Expr.Num(2 + rng.Next(4)) : rng.Choice(symbols);
        Expr Sum() => Expr.Add(Expr.Mul(Leaf(), rng.NextBool(0.3) ? Leaf() : Expr.One),
            rng.NextBool() ? Leaf() : Expr.Neg(Leaf()));
        return rng.NextBool() ? Expr.Mul(Sum(), Sum()) : Expr.Pow(Sum(), Expr.Num(2 + rng.Next(2)));
    }
}

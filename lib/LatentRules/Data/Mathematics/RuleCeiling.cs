namespace LatentRules.Data.Mathematics;

/// <summary>
/// Math items from which no model can tell the rule, and the accuracy ceiling they put on rule classification.
/// When the premise equals the conclusion (c e^{x}: its derivative and its antiderivative are itself), differentiation
/// and integration both turn the premise into the conclusion, so a model reading the item can only guess. The same
/// holds whenever the conclusion fits more than one rule (e^{-x} and -e^{-x}: each is the other's derivative and
/// antiderivative), which <see cref="FittingRules"/> finds with the verifier. Experiments report
/// <see cref="Of"/> beside a rule probe's accuracy.
/// </summary>
public static class RuleCeiling
{
    /// <summary>
    /// True when premise and conclusion are the same expression: compared as parsed canonical expressions (spacing
    /// and term order in imported lines do not matter), as text when either does not parse.
    /// </summary>
    public static bool PremiseEqualsConclusion(ReasoningExample e)
    {
        if (e.Premises.Count != 1)
            throw new ArgumentException($"{e.Id}: a math example has one premise, found {e.Premises.Count}");
        var p = LatexParser.TryParse(e.Premises[0], out _);
        var c = LatexParser.TryParse(e.Conclusion, out _);
        return p is not null && c is not null ? p.Equals(c) : e.Premises[0].Trim() == e.Conclusion.Trim();
    }

    /// <summary>
    /// The rules, among <paramref name="rules"/>, under which the verifier accepts the item's conclusion (its own rule
    /// among them when the item is right).
    /// </summary>
    public static IReadOnlyList<string> FittingRules(ReasoningExample e, IReadOnlyList<string> rules)
    {
        if (e.Premises.Count != 1)
            throw new ArgumentException($"{e.Id}: a math example has one premise, found {e.Premises.Count}");
        var variable = e.Field("variable");
        if (string.IsNullOrEmpty(variable)) throw new ArgumentException($"{e.Id}: no 'variable' field");
        return rules.Where(r => MathVerifier.Verify(r, e.Premises[0], variable, e.Conclusion).Correct).ToList();
    }

    /// <summary>
    /// The best expected rule accuracy a model reading premise and conclusion can reach on <paramref name="items"/>:
    /// the mean over items of 1 / (number of fitting rules), i.e. 1 for an item only its own rule fits and 1/2 for
    /// one both of the study's rules fit (the best a classifier can do when either rule is equally likely to have
    /// made it). <paramref name="rules"/> defaults to the items' own rules.
    /// </summary>
    public static double Of(IReadOnlyList<ReasoningExample> items, IReadOnlyList<string>? rules = null)
    {
        if (items.Count == 0) throw new ArgumentException("no items to compute a ceiling for", nameof(items));
        rules ??= items.Select(e => e.Rule).Distinct().Order(StringComparer.Ordinal).ToList();
        return items.Average(e => 1.0 / Math.Max(1, FittingRules(e, rules).Count));
    }
}

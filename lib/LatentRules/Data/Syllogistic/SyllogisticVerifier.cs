namespace LatentRules.Data.Syllogistic;

/// <summary>
/// Judges a candidate conclusion from logical forms, never from strings: the premises, the example's own
/// conclusion and the candidate are parsed back into logical form. A candidate is accepted when it follows
/// from the premises (model check, <see cref="Semantics"/>) and says the same as the scheme's conclusion
/// (equivalent: "No cats are dogs" = "No dogs are cats"); what merely follows (a premise restated) is rejected.
/// The example's conclusion is checked too, so an invalid example (affirming the consequent) accepts nothing.
/// </summary>
public static class SyllogisticVerifier
{
    private static readonly Dictionary<string, SentenceParser> Parsers =
        Vocabulary.Domains.ToDictionary(d => d.Name, d => new SentenceParser(d));

    public static Verdict Verify(ReasoningExample example, string candidate)
    {
        var domain = example.Field("domain");
        // Without a domain field (an example written by hand), the first domain that reads every premise is used.
        var parser = domain is null
            ? Parsers.Values.FirstOrDefault(p => example.Premises.All(x => p.Parse(x) != null))
            : Parsers.GetValueOrDefault(domain);
        if (parser is null) return Verdict.No($"no vocabulary domain reads these premises (domain field: '{domain}')");
        var premises = new List<Statement>();
        foreach (var p in example.Premises)
        {
            if (parser.Parse(p) is not { } s) return Verdict.No($"premise not readable as a logical form: '{p}'");
            premises.Add(s);
        }
        if (parser.Parse(example.Conclusion) is not { } expected)
            return Verdict.No($"the example's conclusion is not readable: '{example.Conclusion}'");
        if (!Semantics.Entails(premises, expected))
            return Verdict.No($"the example itself is invalid: its conclusion does not follow ({example.Rule})");
        if (parser.Parse(candidate) is not { } c)
            return Verdict.No("the candidate is not a statement of this vocabulary's grammar (or mixes individuals)");
        var names = premises.OfType<Clause>().Select(x => x.Individual).Distinct().ToList();
        if (c is Clause cc && !names.Contains(cc.Individual))
            return Verdict.No($"the candidate speaks of {cc.Individual}, the premises of " +
                $"{(names.Count == 0 ? "no individual" : string.Join(", ", names))}");
        if (premises.Contains(c)) return Verdict.No($"restates a premise instead of drawing a conclusion: {c}");
        if (!Semantics.Entails(premises, c)) return Verdict.No($"does not follow from the premises: {c}");
        if (!Semantics.Equivalent(c, expected))
            return Verdict.No($"follows, but is not the conclusion of {example.Rule} ({expected}): {c}");
        return Verdict.Yes($"follows by {example.Rule}: {c}");
    }
}

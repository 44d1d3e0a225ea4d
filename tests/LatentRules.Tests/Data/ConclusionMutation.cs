namespace LatentRules.Tests.Data;

/// <summary>
/// A deliberately wrong conclusion made from an example, for testing that a verifier rejects it.
/// Kind names the corruption: "swap_terms", "negation", "quantifier", "wrong_term", "other_rule",
/// "premise_copy" and so on.
/// </summary>
public sealed record ConclusionMutation(string Kind, string Conclusion);

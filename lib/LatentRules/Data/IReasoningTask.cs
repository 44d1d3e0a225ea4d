namespace LatentRules.Data;

/// <summary>A verifier's answer: whether a conclusion follows, and why not when it does not.</summary>
public sealed record Verdict(bool Correct, string Reason)
{
    public static Verdict Yes(string reason = "ok") => new(true, reason);
    public static Verdict No(string reason) => new(false, reason);
}

/// <summary>Sizes and seed of a generated dataset. Defaults are laptop-sized.</summary>
public sealed record GenerationOptions(
    int Size = 3000,            // total examples over all splits (paper scale for math: 32,000 train)
    int Seed = 1,               // same seed, same bytes
    double ValidFraction = 0.1, // share in valid: the in-distribution split (same material and distribution as train)
    double TestFraction = 0.1,  // share in test: the generalisation split (only held-out terms/entities/skeletons)
    bool Balanced = true);      // equal counts per rule unless false

/// <summary>The three splits of a generated dataset (see <see cref="SplitBuilder"/>).</summary>
public sealed record DatasetSplits(
    IReadOnlyList<ReasoningExample> Train,   // what models learn from
    IReadOnlyList<ReasoningExample> Valid,   // in-distribution: same material and distribution as train, distinct items
    IReadOnlyList<ReasoningExample> Test);   // generalisation: built only from held-out material train never uses

/// <summary>
/// A reasoning task: its rules, a deterministic generator and a verifier. Implementations register
/// themselves in <see cref="ReasoningTasks"/>.
/// </summary>
public interface IReasoningTask
{
    /// <summary>"math", "syllogistic" or "explanatory".</summary>
    string Name { get; }

    /// <summary>The rule labels this task generates.</summary>
    IReadOnlyList<string> Rules { get; }

    /// <summary>Generates train/valid/test deterministically from the seed.</summary>
    DatasetSplits Generate(GenerationOptions options);

    /// <summary>
    /// Texts that hold every word of the task's closed word lists (terms, names, entities), held-out ones included,
    /// in the forms the generator writes them. A word vocabulary built from train plus these gives a held-out word
    /// an id of its own: held out means "unseen in training", not "unknown token" (all held-out words as one [UNK]
    /// would make moods that differ only in which term repeats encode identically). Empty when the task holds out
    /// no words (math holds out expression shapes, drawn from the same letters and numbers as train).
    /// </summary>
    IReadOnlyList<string> Lexicon { get; }

    /// <summary>
    /// True when every rule applies to every example's premises (math: any expression can be differentiated or
    /// integrated), so a decoder can be asked to apply another rule to the same premises and the verifier can tell
    /// which rule its output follows; false where the premises' form fixes the rule (a syllogism's mood, an explanation
    /// step's type).
    /// </summary>
    bool AnyRuleAppliesToAnyPremises { get; }

    /// <summary>
    /// The words that name the example's rule in the data as published (math: "performing differentiation", how every
    /// published line begins), or null where the data carries no such text (the rule is a label only).
    /// </summary>
    string? RuleText(ReasoningExample example);

    /// <summary>Does <paramref name="candidateConclusion"/> follow from the example's rule and premises?</summary>
    Verdict Verify(ReasoningExample example, string candidateConclusion);
}

namespace LatentRules.Data;

/// <summary>
/// One inference step (pi, x, c) of any task: the rule pi, the premises x and the conclusion c.
/// Task-specific facts (the variable of a derivative, a scheme's variant, the entities used) live in
/// <see cref="Fields"/> so that every task shares one JSONL form.
/// </summary>
public sealed record ReasoningExample(
    string Id,                                   // unique within a dataset, e.g. "math-train-000123"
    string Task,                                 // "math", "syllogistic" or "explanatory"
    string Rule,                                 // e.g. "differentiation", "modus_ponens"; "unknown": unlabelled
    IReadOnlyList<string> Premises,              // one or more premises, in order
    string Conclusion,                           // the conclusion text
    IReadOnlyDictionary<string, string>? Fields = null) // task-specific fields (may be null or empty)
{
    /// <summary>A task-specific field, or null when absent.</summary>
    public string? Field(string name) => Fields != null && Fields.TryGetValue(name, out var v) ? v : null;

    /// <summary>
    /// How one of this example's texts (a premise, the conclusion, a generated answer) shows in a table: a formula
    /// for the math task, whose texts are LaTeX; the text itself otherwise.
    /// </summary>
    public object Shown(string text) => Task == "math" ? new Notebooks.Latex(text) : text;
}

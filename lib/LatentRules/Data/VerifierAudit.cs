namespace LatentRules.Data;

/// <summary>
/// Whether a task's verifier tells right from wrong on a set of examples: each example's own conclusion must be
/// accepted, and the conclusion of another example of the same rule (well-formed, plausible, wrong) rejected.
/// </summary>
public sealed record VerifierAudit(
    string Task,            // the task's name
    int Examples,           // examples checked
    int OwnAccepted,        // own conclusions the verifier accepted (all of them when it is right)
    int Borrowed,           // examples that had another same-rule example to borrow a conclusion from
    int BorrowedRejected,   // borrowed conclusions the verifier rejected
    string FirstRejection)  // one rejection with the verifier's reason, for the reader
{
    public static VerifierAudit Of(IReasoningTask task, IReadOnlyList<ReasoningExample> examples)
    {
        int own = examples.Count(e => task.Verify(e, e.Conclusion).Correct);
        int borrowed = 0, rejected = 0;
        string first = "";
        foreach (var e in examples)
        {
            var other = examples.FirstOrDefault(o => o.Rule == e.Rule && o.Conclusion != e.Conclusion);
            if (other is null) continue;
            borrowed++;
            var verdict = task.Verify(e, other.Conclusion);
            if (verdict.Correct) continue;
            rejected++;
            if (first.Length == 0)
                first = $"{string.Join(" · ", e.Premises)} ⇒ {other.Conclusion}: {verdict.Reason}";
        }
        return new VerifierAudit(task.Name, examples.Count, own, borrowed, rejected, first);
    }
}

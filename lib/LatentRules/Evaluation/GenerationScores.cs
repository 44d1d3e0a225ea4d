using LatentRules.Data;

namespace LatentRules.Evaluation;

/// <summary>
/// Scores of generated conclusions against the references of their examples:
/// word accuracy (words equal at their position, over the longer of reference and generation), exact
/// match, corpus BLEU, and task-verified correctness: the task's verifier decides, so a derivative that is
/// right but printed differently counts as right.
/// </summary>
public sealed record GenerationScores(
    int Count,               // examples scored
    double WordAccuracy,     // mean share of positions with the same word (over the longer of the two)
    double ExactMatch,       // share of generated conclusions equal to the reference (after trimming)
    double Bleu,             // corpus BLEU in [0, 1]
    double Verified,         // share the task verifier accepts
    IReadOnlyList<string> Failures) // "id: generated (reason)" for each conclusion the verifier refused
{
    public static GenerationScores Of(IReadOnlyList<ReasoningExample> examples, IReadOnlyList<string> generated,
        IReasoningTask task)
    {
        if (examples.Count != generated.Count)
            throw new ArgumentException($"{examples.Count} examples but {generated.Count} generated conclusions");
        if (examples.Count == 0) throw new ArgumentException("no examples to score");
        double words = 0;
        int exact = 0, verified = 0;
        var failures = new List<string>();
        for (int i = 0; i < examples.Count; i++)
        {
            var reference = examples[i].Conclusion.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var hypothesis = generated[i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            int same = 0;
            for (int k = 0; k < reference.Length && k < hypothesis.Length; k++)
                if (reference[k] == hypothesis[k]) same++;
            words += reference.Length == 0 ? (hypothesis.Length == 0 ? 1 : 0)
                : (double)same / Math.Max(reference.Length, hypothesis.Length);
            if (generated[i].Trim() == examples[i].Conclusion.Trim()) exact++;
            var verdict = task.Verify(examples[i], generated[i]);
            if (verdict.Correct) verified++;
            else failures.Add($"{examples[i].Id}: {generated[i]} ({verdict.Reason})");
        }
        int n = examples.Count;
        return new GenerationScores(n, words / n, (double)exact / n,
            Evaluation.Bleu.Corpus(examples.Select(e => e.Conclusion).ToList(), generated), (double)verified / n,
            failures);
    }
}

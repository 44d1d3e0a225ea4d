namespace LatentRules.Evaluation;

/// <summary>
/// Corpus BLEU (Papineni et al., 2002) with one reference per hypothesis: clipped n-gram counts summed over
/// the corpus for n = 1..4, the geometric mean of the four precisions, and the brevity penalty
/// exp(1 - r/c) when the hypotheses are shorter in total (c) than the references (r). No smoothing: a corpus
/// without a single matching 4-gram scores 0. Tokens are whitespace-separated words; the score is in [0, 1].
/// </summary>
public static class Bleu
{
    public const int MaxOrder = 4;

    public static double Corpus(IReadOnlyList<string> references, IReadOnlyList<string> hypotheses) =>
        Corpus(references.Select(Words).ToList(), hypotheses.Select(Words).ToList());

    public static double Corpus(IReadOnlyList<IReadOnlyList<string>> references,
        IReadOnlyList<IReadOnlyList<string>> hypotheses)
    {
        if (references.Count != hypotheses.Count)
            throw new ArgumentException($"BLEU needs one reference per hypothesis: {references.Count} references, " +
                $"{hypotheses.Count} hypotheses");
        var matched = new long[MaxOrder];
        var total = new long[MaxOrder];
        long hypothesisLength = 0, referenceLength = 0;
        for (int i = 0; i < hypotheses.Count; i++)
        {
            var hyp = hypotheses[i];
            var reference = references[i];
            hypothesisLength += hyp.Count;
            referenceLength += reference.Count;
            for (int n = 1; n <= MaxOrder; n++)
            {
                var referenceCounts = NGrams(reference, n);
                foreach (var (gram, count) in NGrams(hyp, n))
                    matched[n - 1] += Math.Min(count, referenceCounts.GetValueOrDefault(gram));
                total[n - 1] += Math.Max(0, hyp.Count - n + 1);
            }
        }
        if (hypothesisLength == 0) return 0;
        double logPrecision = 0;
        for (int n = 0; n < MaxOrder; n++)
        {
            if (matched[n] == 0) return 0;
            logPrecision += Math.Log((double)matched[n] / total[n]) / MaxOrder;
        }
        double brevity =
            hypothesisLength >= referenceLength ? 1 : Math.Exp(1 - (double)referenceLength / hypothesisLength);
        return brevity * Math.Exp(logPrecision);
    }

    private static IReadOnlyList<string> Words(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static Dictionary<string, int> NGrams(IReadOnlyList<string> words, int n)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i + n <= words.Count; i++)
        {
            string gram = string.Join("\u0001", words.Skip(i).Take(n));
            counts[gram] = counts.GetValueOrDefault(gram) + 1;
        }
        return counts;
    }
}

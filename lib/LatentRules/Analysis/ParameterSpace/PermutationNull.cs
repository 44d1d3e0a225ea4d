using LatentRules.Randomness;

namespace LatentRules.Analysis.ParameterSpace;

/// <summary>
/// What a within-minus-across gap would look like if the rule labels carried no information: the gap recomputed under
/// seeded random permutations of the labels (the kernel stays fixed), and the one-sided permutation p-value
/// (1 + #{permuted gap &gt;= observed}) / (1 + R). Several runs (e.g. seeds) are tested together by their mean gap,
/// each run's labels permuted independently, so one p-value covers them all.
/// </summary>
public sealed record PermutationNull(
    double Observed,      // the gap (mean over runs) with the true labels
    double[] Gaps,        // the same statistic under each of the R permutations
    double PValue)        // (1 + #{Gaps >= Observed}) / (1 + R)
{
    public double NullMean => Gaps.Average();

    /// <summary>The null of one kernel's gap, from its cosine similarities and labels.</summary>
    public static PermutationNull Of(double[,] cosine, IReadOnlyList<int> labels, int permutations = 1000,
        int seed = 0) =>
        OfMean(new[] { (cosine, labels) }, permutations, seed);

    /// <summary>The null of the mean gap over several runs, each with its own kernel and labels.</summary>
    public static PermutationNull OfMean(IReadOnlyList<(double[,] cosine, IReadOnlyList<int> labels)> runs,
        int permutations = 1000, int seed = 0) =>
        Permute(runs.Select(r => r.labels).ToList(), permutations, seed,
            labels => runs.Select((r, k) => Gap(r.cosine, labels[k])).Average());

    /// <summary>
    /// The null of the mean over runs of gap(a) - gap(b), two kernels of the same examples (e.g. FFN and attention):
    /// both gaps are recomputed with the same permuted labels, so it tests whether a separates the rules more than b.
    /// </summary>
    public static PermutationNull OfMeanDifference(
        IReadOnlyList<(double[,] a, double[,] b, IReadOnlyList<int> labels)> runs, int permutations = 1000,
        int seed = 0) =>
        Permute(runs.Select(r => r.labels).ToList(), permutations, seed,
            labels => runs.Select((r, k) => Gap(r.a, labels[k]) - Gap(r.b, labels[k])).Average());

    private static double Gap(double[,] cosine, IReadOnlyList<int> labels)
    {
        var (within, across) = RuleSeparation.WithinAcross(cosine, labels);
        return within - across;
    }

    // The statistic with the true labels and under R permutations (each run's labels shuffled independently).
    private static PermutationNull Permute(IReadOnlyList<IReadOnlyList<int>> labels, int permutations, int seed,
        Func<IReadOnlyList<IReadOnlyList<int>>, double> statistic)
    {
        if (labels.Count == 0) throw new ArgumentException("a permutation null needs at least one run");
        if (permutations < 1) throw new ArgumentException($"permutations must be at least 1, got {permutations}");
        double observed = statistic(labels);
        var rng = new SeededRandom(seed, "permutation-null");
        var shuffled = labels.Select(l => l.ToArray()).ToList();
        var gaps = new double[permutations];
        for (int p = 0; p < permutations; p++)
        {
            foreach (var run in shuffled) rng.Shuffle(run);
            gaps[p] = statistic(shuffled);
        }
        // A permutation that only renames rules gives the same gap summed in another order: count it as a tie, not
        // below.
        double tie = 1e-12 * Math.Max(1, Math.Abs(observed));
        int atLeast = gaps.Count(g => g >= observed - tie);
        return new PermutationNull(observed, gaps, (1.0 + atLeast) / (1.0 + permutations));
    }
}

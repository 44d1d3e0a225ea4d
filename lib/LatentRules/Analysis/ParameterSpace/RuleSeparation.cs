namespace LatentRules.Analysis.ParameterSpace;

/// <summary>
/// How far apart a parameter group keeps the rules, from a tangent kernel: the mean cosine similarity of
/// gradient pairs of the same rule (i &lt; j) and of different rules, their gap (within - across; above 0 means
/// the group's update directions differ by rule) and ratio (within / across, defined only when across &gt; 0),
/// and clustering scores of the normalised gradient vectors against the rules (silhouette; k-means with
/// k = rules, ARI and NMI).
/// </summary>
public sealed record RuleSeparation(
    string Group,         // parameter group name
    int Parameters,       // parameters in the group
    double Within,        // mean cosine similarity of same-rule pairs
    double Across,        // mean cosine similarity of different-rule pairs
    double Gap,           // Within - Across, in [-2, 2]
    double Ratio,         // Within / Across; NaN unless Across > 0
    double Silhouette,    // of the normalised gradients against the rules
    double KMeansAri,     // k-means clusters vs rules
    double KMeansNmi,     // the same, normalised mutual information
    double[,] Cosine)     // the kernel itself: cosine similarity of every pair of gradients (the heatmap)
{
    public static RuleSeparation Of(string group, TangentKernel kernel, int seed = 0)
    {
        var labels = kernel.Labels;
        int rules = labels.Distinct().Count();
        if (rules < 2)
            throw new ArgumentException($"rule separation needs at least 2 rules in the sample, got {rules}");
        var cosine = kernel.Gram(normalized: true);
        var (within, across) = WithinAcross(cosine, labels);
        // same distances as the normalised gradients
        var points = kernel.Points();
        var clusters = KMeans.Fit(points, rules, seed: seed).Labels;
        return new RuleSeparation(group, (int)kernel.Parameters, within, across, within - across,
            across > 0 ? within / across : double.NaN,
            ClusterScores.Silhouette(points, labels), ClusterScores.AdjustedRandIndex(labels, clusters),
            ClusterScores.NormalizedMutualInformation(labels, clusters), cosine);
    }

    /// <summary>
    /// Mean similarity of same-label pairs (i &lt; j; NaN when there is none) and of different-label pairs.
    /// </summary>
    public static (double within, double across) WithinAcross(double[,] similarity, IReadOnlyList<int> labels)
    {
        double within = 0, across = 0;
        long nw = 0, na = 0;
        for (int i = 0; i < labels.Count; i++)
            for (int j = i + 1; j < labels.Count; j++)
            {
                if (labels[i] == labels[j]) { within += similarity[i, j]; nw++; }
                else { across += similarity[i, j]; na++; }
            }
        return (nw == 0 ? double.NaN : within / nw, across / na);
    }
}

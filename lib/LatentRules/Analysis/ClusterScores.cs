using System.Numerics;

namespace LatentRules.Analysis;

/// <summary>
/// Cluster-quality scores with scikit-learn 1.2's definitions: silhouette (Euclidean; 0 for a point alone in its
/// cluster), adjusted Rand index (from the pair confusion matrix), and normalised mutual information with the
/// arithmetic-mean normaliser.
/// </summary>
public static class ClusterScores
{
    /// <summary>numpy's finfo(float64).eps.</summary>
    internal const double MachineEpsilon = 2.220446049250313e-16;

    /// <summary>
    /// Mean silhouette coefficient over all points: (b - a) / max(a, b) with a the mean distance to the other points
    /// of the own cluster and b the smallest mean distance to another cluster's points.
    /// </summary>
    public static double Silhouette(double[,] x, IReadOnlyList<int> labels)
    {
        Points.Check(x);
        int n = x.GetLength(0), d = x.GetLength(1);
        Points.CheckLabels(n, labels);
        var (index, ids) = Encode(labels);
        int k = ids.Length;
        if (k > n - 1)
            throw new ArgumentException($"silhouette needs 2 <= clusters <= n - 1, got {k} clusters for {n} points");

        // Reorder the points cluster by cluster, so that each cluster's distances are one contiguous range to sum.
        var order = Enumerable.Range(0, n).OrderBy(i => index[i]).ToArray();
        var start = new int[k + 1];
        foreach (int c in index) start[c + 1]++;
        for (int c = 0; c < k; c++) start[c + 1] += start[c];
        var flat = Points.Flatten(x);
        var sorted = new double[n * d];
        for (int r = 0; r < n; r++) Array.Copy(flat, order[r] * d, sorted, r * d, d);

        var score = new double[n];                                 // per sorted point
        Distances.ForEachRowBlock(sorted, n, d, (i0, count, squared) =>
        {
            for (int r = 0; r < count; r++)
            {
                var row = squared.AsSpan(r * n, n);
                Distances.Sqrt(row);
                int i = i0 + r, own = index[order[i]];
                int size = start[own + 1] - start[own];
                if (size == 1) continue;                           // silhouette 0
                double a = Sum(row[start[own]..start[own + 1]]) / (size - 1);
                double b = double.PositiveInfinity;
                for (int c = 0; c < k; c++)
                    if (c != own) b = Math.Min(b, Sum(row[start[c]..start[c + 1]]) / (start[c + 1] - start[c]));
                double denominator = Math.Max(a, b);
                score[i] = denominator > 0 ? (b - a) / denominator : 0;       // scikit-learn's nan_to_num
            }
        });
        return score.Sum() / n;
    }

    private static double Sum(ReadOnlySpan<double> values)
    {
        var acc = Vector<double>.Zero;
        int k = 0;
        for (; k <= values.Length - Vector<double>.Count; k += Vector<double>.Count)
            acc += new Vector<double>(values[k..]);
        double s = Vector.Sum(acc);
        for (; k < values.Length; k++) s += values[k];
        return s;
    }

    /// <summary>Labels as 0..k-1 in increasing order of label value, and the label values.</summary>
    internal static (int[] index, int[] ids) Encode(IReadOnlyList<int> labels)
    {
        var ids = labels.Distinct().OrderBy(l => l).ToArray();
        var map = new Dictionary<int, int>(ids.Length);
        for (int c = 0; c < ids.Length; c++) map[ids[c]] = c;
        var index = new int[labels.Count];
        for (int i = 0; i < index.Length; i++) index[i] = map[labels[i]];
        return (index, ids);
    }

    private static (long[,] table, long[] rows, long[] cols) Contingency(IReadOnlyList<int> a, IReadOnlyList<int> b)
    {
        if (a.Count != b.Count) throw new ArgumentException($"label lists differ in length: {a.Count} vs {b.Count}");
        var (ia, ka) = Encode(a);
        var (ib, kb) = Encode(b);
        var table = new long[ka.Length, kb.Length];
        var rows = new long[ka.Length];
        var cols = new long[kb.Length];
        for (int i = 0; i < ia.Length; i++) { table[ia[i], ib[i]]++; rows[ia[i]]++; cols[ib[i]]++; }
        return (table, rows, cols);
    }

    /// <summary>
    /// Adjusted Rand index: 1 for the same partition (whatever the names), about 0 for independent ones.
    /// </summary>
    public static double AdjustedRandIndex(IReadOnlyList<int> truth, IReadOnlyList<int> predicted)
    {
        var (table, rows, cols) = Contingency(truth, predicted);
        // Pair confusion matrix (ordered pairs), as scikit-learn computes it.
        double n = truth.Count, sumSquares = 0, rowDot = 0, colDot = 0;
        for (int i = 0; i < rows.Length; i++)
            for (int j = 0; j < cols.Length; j++)
            {
                double v = table[i, j];
                sumSquares += v * v;
                rowDot += v * cols[j];
                colDot += v * rows[i];
            }
        double tp = sumSquares - n, fp = rowDot - sumSquares, fn = colDot - sumSquares,
            tn = n * n - fp - fn - sumSquares;
        if (fn == 0 && fp == 0) return 1.0;
        return 2.0 * (tp * tn - fn * fp) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn));
    }

    /// <summary>Mutual information normalised by the arithmetic mean of the two entropies.</summary>
    public static double NormalizedMutualInformation(IReadOnlyList<int> truth, IReadOnlyList<int> predicted)
    {
        var (table, rows, cols) = Contingency(truth, predicted);
        if (rows.Length == cols.Length && rows.Length <= 1) return 1.0;          // neither labelling splits the data
        if (rows.Length == 1 || cols.Length == 1) return 0.0;
        double n = truth.Count, logN = Math.Log(n), mi = 0;
        for (int i = 0; i < rows.Length; i++)
            for (int j = 0; j < cols.Length; j++)
            {
                if (table[i, j] == 0) continue;
                double p = table[i, j] / n;
                double term =
                    p * (Math.Log(table[i, j]) - logN) + p * (-Math.Log((double)rows[i] * cols[j]) + 2 * logN);
                if (Math.Abs(term) >= MachineEpsilon) mi += term;         // scikit-learn drops |term| < eps
            }
        mi = Math.Max(mi, 0);
        if (mi == 0) return 0.0;
        double Entropy(long[] counts) => -counts.Sum(c => c / n * (Math.Log(c) - logN));
        return mi / ((Entropy(rows) + Entropy(cols)) / 2);
    }
}

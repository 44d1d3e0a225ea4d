using System.Numerics;

namespace LatentRules.Analysis;

/// <summary>How well a low-dimensional embedding keeps the neighbourhoods of the original points.</summary>
public static class EmbeddingScores
{
    /// <summary>
    /// Trustworthiness with scikit-learn's definition (Euclidean): 1 - 2 / (n k (2n - 3k - 1)) times the sum, over
    /// each point i and each of its k nearest neighbours j in the embedding, of max(0, r(i, j) - k), where r(i, j) is
    /// the rank of j among i's neighbours in the original space (1 = nearest). A rank among tied distances is the
    /// best one (scikit-learn's argsort orders ties arbitrarily); so is the choice among tied embedding neighbours
    /// (lower index first).
    /// </summary>
    public static double Trustworthiness(double[,] x, double[,] embedding, int neighbors = 5)
    {
        Points.Check(x);
        Points.Check(embedding, "embedding");
        int n = x.GetLength(0), d = x.GetLength(1), e = embedding.GetLength(1);
        if (embedding.GetLength(0) != n)
            throw new ArgumentException($"embedding has {embedding.GetLength(0)} rows but there are {n} points");
        if (neighbors < 1 || neighbors >= n / 2.0)
            throw new ArgumentException($"neighbors ({neighbors}) must be at least 1 and less than the number of " +
                $"points / 2 ({n / 2.0})");
        int k = neighbors;
        var flatX = Points.Flatten(x);
        var flatE = Points.Flatten(embedding);
        var penalty = new long[n];
        Distances.ForEachRowBlock(flatX, n, d, (i0, count, squared) =>
        {
            var nearest = new int[k];
            var nearestDistance = new double[k];
            for (int r = 0; r < count; r++)
            {
                int i = i0 + r;
                NearestInEmbedding(flatE, n, e, i, nearest, nearestDistance);
                var row = squared.AsSpan(r * n, n);
                long sum = 0;
                foreach (int j in nearest)
                {
                    // Rank of j = 1 + the number of other points strictly nearer to i than j is (i itself excluded).
                    double threshold = row[j];
                    long rank = 1 + CountBelow(row, threshold) - (row[i] < threshold ? 1 : 0);
                    sum += Math.Max(0, rank - k);
                }
                penalty[i] = sum;
            }
        });
        double total = penalty.Sum();
        return 1.0 - total * (2.0 / (n * (double)k * (2.0 * n - 3.0 * k - 1.0)));
    }

    /// <summary>The k nearest rows to row i (excluding i), nearest first; ties keep the lower index first.</summary>
    private static void NearestInEmbedding(double[] flat, int n, int e, int i, int[] nearest, double[] distance)
    {
        int k = nearest.Length, filled = 0;
        var yi = flat.AsSpan(i * e, e);
        for (int j = 0; j < n; j++)
        {
            if (j == i) continue;
            double dist = Distances.Squared(yi, flat.AsSpan(j * e, e));
            if (filled == k && dist >= distance[k - 1]) continue;
            int pos = filled < k ? filled++ : k - 1;
            while (pos > 0 && distance[pos - 1] > dist)
            {
                distance[pos] = distance[pos - 1];
                nearest[pos] = nearest[pos - 1];
                pos--;
            }
            distance[pos] = dist;
            nearest[pos] = j;
        }
    }

    private static long CountBelow(ReadOnlySpan<double> values, double threshold)
    {
        var t = new Vector<double>(threshold);
        var acc = Vector<long>.Zero;
        int m = 0;
        for (; m <= values.Length - Vector<double>.Count; m += Vector<double>.Count)
            acc -= Vector.LessThan(new Vector<double>(values[m..]), t);      // true lanes are -1
        long count = Vector.Sum(acc);
        for (; m < values.Length; m++) if (values[m] < threshold) count++;
        return count;
    }
}

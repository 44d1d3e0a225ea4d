namespace LatentRules.Analysis;

/// <summary>
/// Points are a <c>double[n, d]</c> matrix (one point per row) and labels an <c>int</c> per point; these checks
/// are shared by the analysis functions, and every problem is named (row, column, lengths).
/// </summary>
public static class Points
{
    /// <summary>Row <paramref name="i"/> of a points matrix, e.g. one example's posterior mean.</summary>
    public static double[] Row(double[,] x, int i)
    {
        if (i < 0 || i >= x.GetLength(0))
            throw new ArgumentOutOfRangeException(nameof(i), $"row {i} is outside 0..{x.GetLength(0) - 1}");
        return Enumerable.Range(0, x.GetLength(1)).Select(k => x[i, k]).ToArray();
    }

    /// <summary>
    /// Column <paramref name="k"/> of a points matrix, e.g. the first principal component of every point.
    /// </summary>
    public static double[] Column(double[,] x, int k)
    {
        if (k < 0 || k >= x.GetLength(1))
            throw new ArgumentOutOfRangeException(nameof(k), $"column {k} is outside 0..{x.GetLength(1) - 1}");
        return Enumerable.Range(0, x.GetLength(0)).Select(i => x[i, k]).ToArray();
    }

    public static void Check(double[,] x, string what = "points")
    {
        int n = x.GetLength(0), d = x.GetLength(1);
        if (n == 0 || d == 0) throw new ArgumentException($"{what} is empty ({n} x {d})");
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++)
                if (!double.IsFinite(x[i, j]))
                    throw new ArgumentException($"{what} has {x[i, j]} at row {i}, column {j}");
    }

    public static void CheckLabels(int n, IReadOnlyList<int> labels, string what = "labels", int minClasses = 2)
    {
        if (labels.Count != n)
            throw new ArgumentException($"{what} has {labels.Count} entries but there are {n} points");
        int classes = labels.Distinct().Count();
        if (classes < minClasses)
            throw new ArgumentException($"{what} has {classes} distinct value(s); at least {minClasses} are needed");
    }

    /// <summary>
    /// The rows of <paramref name="x"/> as one contiguous row-major array (point i at [i*d, (i+1)*d)).
    /// </summary>
    internal static double[] Flatten(double[,] x)
    {
        var flat = new double[x.Length];
        Buffer.BlockCopy(x, 0, flat, 0, x.Length * sizeof(double));
        return flat;
    }

    internal static double[,] Unflatten(double[] flat, int n, int d)
    {
        var x = new double[n, d];
        Buffer.BlockCopy(flat, 0, x, 0, n * d * sizeof(double));
        return x;
    }
}

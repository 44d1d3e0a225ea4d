namespace LatentRules.Analysis;

/// <summary>
/// Exact principal component analysis: eigendecomposition (cyclic Jacobi) of the covariance matrix of the
/// centred points. Signs follow scikit-learn 1.2's svd_flip (u-based, as its PCA uses): in each component, the point
/// whose coordinate has the largest magnitude has a positive coordinate, so Components and Transform compare
/// one to one with scikit-learn's <c>PCA(svd_solver="full")</c>.
/// </summary>
public sealed class Pca
{
    public double[] Mean { get; }
    /// <summary>[components, dims], rows sorted by decreasing variance.</summary>
    public double[,] Components { get; }
    public double[] ExplainedVariance { get; }
    public double[] ExplainedVarianceRatio { get; }

    private Pca(double[] mean, double[,] components, double[] variance, double[] ratio)
    {
        Mean = mean; Components = components; ExplainedVariance = variance; ExplainedVarianceRatio = ratio;
    }

    public static Pca Fit(double[,] x, int components)
    {
        Points.Check(x);
        int n = x.GetLength(0), d = x.GetLength(1);
        if (components < 1 || components > Math.Min(n, d))
            throw new ArgumentException($"components must be in 1..{Math.Min(n, d)}, got {components}");
        var mean = new double[d];
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) mean[j] += x[i, j] / n;
        var cov = new double[d, d];
        for (int i = 0; i < n; i++)
            for (int a = 0; a < d; a++)
            {
                double xa = x[i, a] - mean[a];
                for (int b = a; b < d; b++) cov[a, b] += xa * (x[i, b] - mean[b]);
            }
        for (int a = 0; a < d; a++) for (int b = a; b < d; b++) { cov[a, b] /= n - 1; cov[b, a] = cov[a, b]; }
        double total = Enumerable.Range(0, d).Sum(k => cov[k, k]);
        var (values, vectors) = SymmetricEigen.Decompose(cov);
        var order = Enumerable.Range(0, d).OrderByDescending(k => values[k]).Take(components).ToArray();
        var comps = new double[components, d];
        var variance = new double[components];
        for (int c = 0; c < components; c++)
        {
            int k = order[c];
            variance[c] = values[k];
            // svd_flip's u-based decision: the point with the largest |coordinate| (the first such) gets a positive
            // one.
            double largest = 0;
            for (int i = 0; i < n; i++)
            {
                double s = 0;
                for (int j = 0; j < d; j++) s += (x[i, j] - mean[j]) * vectors[j, k];
                if (Math.Abs(s) > Math.Abs(largest)) largest = s;
            }
            double sign = largest < 0 ? -1 : 1;
            for (int j = 0; j < d; j++) comps[c, j] = sign * vectors[j, k];
        }
        return new Pca(mean, comps, variance, variance.Select(v => v / total).ToArray());
    }

    /// <summary>Coordinates [n, components] of points in the component basis.</summary>
    public double[,] Transform(double[,] x)
    {
        int n = x.GetLength(0), d = Mean.Length, c = Components.GetLength(0);
        if (x.GetLength(1) != d)
            throw new ArgumentException($"points have {x.GetLength(1)} dimensions, the PCA was fitted on {d}");
        var result = new double[n, c];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < c; k++)
            {
                double s = 0;
                for (int j = 0; j < d; j++) s += (x[i, j] - Mean[j]) * Components[k, j];
                result[i, k] = s;
            }
        return result;
    }
}

/// <summary>Eigenvalues and eigenvectors (columns) of a symmetric matrix by cyclic Jacobi rotations.</summary>
public static class SymmetricEigen
{
    public static (double[] values, double[,] vectors) Decompose(double[,] matrix, int maxSweeps = 100)
    {
        int n = matrix.GetLength(0);
        var a = (double[,])matrix.Clone();
        var v = new double[n, n];
        for (int i = 0; i < n; i++) v[i, i] = 1;
        for (int sweep = 0; sweep < maxSweeps; sweep++)
        {
            double off = 0;
            for (int p = 0; p < n; p++) for (int q = p + 1; q < n; q++) off += a[p, q] * a[p, q];
            if (off < 1e-30) break;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++)
                {
                    if (Math.Abs(a[p, q]) < 1e-300) continue;
                    double theta = (a[q, q] - a[p, p]) / (2 * a[p, q]);
                    double t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < n; k++)
                    {
                        double akp = a[k, p], akq = a[k, q];
                        a[k, p] = c * akp - s * akq; a[k, q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double apk = a[p, k], aqk = a[q, k];
                        a[p, k] = c * apk - s * aqk; a[q, k] = s * apk + c * aqk;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double vkp = v[k, p], vkq = v[k, q];
                        v[k, p] = c * vkp - s * vkq; v[k, q] = s * vkp + c * vkq;
                    }
                }
        }
        return (Enumerable.Range(0, n).Select(i => a[i, i]).ToArray(), v);
    }
}

using System.Text.Json;
using LatentRules.Analysis;
using LatentRules.Tests.Support;
using LatentRules.Tests.Torch;

namespace LatentRules.Tests.Analysis;

/// <summary>Scores and PCA against scikit-learn 1.2 (Debian's python3-sklearn) on the same fixed inputs.</summary>
public sealed class AnalysisTests
{
    // Three Gaussian blobs in 5 dimensions, slightly overlapping, with a deterministic generator.
    private static (double[,] x, int[] labels, int[] clusters) Data()
    {
        var rng = new Random(7);
        int n = 90, d = 5;
        var x = new double[n, d];
        var labels = new int[n];
        var clusters = new int[n];
        for (int i = 0; i < n; i++)
        {
            labels[i] = i % 3;
            // a noisy clustering with an extra cluster
            clusters[i] = rng.NextDouble() < 0.8 ? labels[i] : rng.Next(4);
            for (int j = 0; j < d; j++)
            {
                double u1 = 1 - rng.NextDouble(), u2 = rng.NextDouble();
                x[i, j] = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2) +
                    2.0 * labels[i] * (j == labels[i] ? 1 : 0.3);
            }
        }
        return (x, labels, clusters);
    }

    private static double[][] Rows(double[,] m) =>
        Enumerable.Range(0, m.GetLength(0))
            .Select(i => Enumerable.Range(0, m.GetLength(1)).Select(j => m[i, j]).ToArray()).ToArray();

    [Trait("Category", "Slow")]
    [Fact]
    public void ScoresAndPcaEqualScikitLearn()
    {
        var (x, labels, clusters) = Data();
        string data = JsonSerializer.Serialize(new { x = Rows(x), labels, clusters });
        var reference = PythonReference.Numbers(PythonReference.Run($$"""
            import json, numpy as np
            from sklearn.metrics import silhouette_score, adjusted_rand_score, normalized_mutual_info_score
            from sklearn.decomposition import PCA
            d = json.loads('''{{data}}''')
            x = np.array(d["x"]); l = d["labels"]; c = d["clusters"]
            p = PCA(n_components=2, svd_solver="full").fit(x)
            vals = [silhouette_score(x, l), silhouette_score(x, c), adjusted_rand_score(l, c),
                    normalized_mutual_info_score(l, c)]
            vals += list(p.explained_variance_ratio_) + list(p.components_.ravel()) + list(p.transform(x)[:5].ravel())
            print(" ".join(repr(float(v)) for v in vals))
            """));
        var pca = Pca.Fit(x, 2);
        var ours = new List<double>
        {
            ClusterScores.Silhouette(x, labels), ClusterScores.Silhouette(x, clusters),
            ClusterScores.AdjustedRandIndex(labels, clusters),
            ClusterScores.NormalizedMutualInformation(labels, clusters),
        };
        ours.AddRange(pca.ExplainedVarianceRatio);
        ours.AddRange(Rows(pca.Components).SelectMany(r => r));
        var projected = pca.Transform(x);
        ours.AddRange(Rows(projected).Take(5).SelectMany(r => r));
        Assert.Equal(reference.Length, ours.Count);
        Assert.Equal(reference, ours.ToArray(), new Tol(1e-9));
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void KMeansFindsTheSameOptimumAsScikitLearnAndIsSeeded()
    {
        // Well-separated blobs: every sensible run reaches the same optimum, so inertia can be compared exactly.
        var rng = new Random(11);
        int n = 150;
        var x = new double[n, 2];
        var truth = new int[n];
        for (int i = 0; i < n; i++)
        {
            truth[i] = i % 3;
            x[i, 0] = 10 * truth[i] + rng.NextDouble();
            x[i, 1] = (truth[i] == 1 ? 8 : 0) + rng.NextDouble();
        }
        string data = JsonSerializer.Serialize(Rows(x));
        double sklearn = PythonReference.Numbers(PythonReference.Run($$"""
            import json, numpy as np
            from sklearn.cluster import KMeans
            x = np.array(json.loads('''{{data}}'''))
            print(repr(float(KMeans(n_clusters=3, n_init=10, random_state=0).fit(x).inertia_)))
            """))[0];
        var km = KMeans.Fit(x, 3, seed: 5);
        Assert.Equal(sklearn, km.Inertia, 9);
        Assert.Equal(1.0, ClusterScores.AdjustedRandIndex(truth, km.Labels), 12);
        Assert.Equal(km.Labels, KMeans.Fit(x, 3, seed: 5).Labels);
        Assert.Contains("k must be in 1..150", Assert.Throws<ArgumentException>(() => KMeans.Fit(x, 151)).Message);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void LinearProbeEqualsScikitLearnsLogisticRegression()
    {
        var (x, labels, _) = Data();
        string data = JsonSerializer.Serialize(new { x = Rows(x), labels });
        var reference = PythonReference.Numbers(PythonReference.Run($$"""
            import json, numpy as np
            from sklearn.linear_model import LogisticRegression
            d = json.loads('''{{data}}''')
            m = LogisticRegression(C=1.0, max_iter=10000, tol=1e-12).fit(np.array(d["x"]), d["labels"])
            print(" ".join(repr(float(v)) for v in list(m.coef_.ravel()) + list(m.intercept_)
                           + [m.score(np.array(d["x"]), d["labels"])]))
            """));
        var probe = LinearProbe.Fit(x, labels);
        int k = 3, d = 5;
        var ourW = Rows(probe.Weights).SelectMany(r => r).ToArray();
        var theirW = reference[..(k * d)];
        var theirB = reference[(k * d)..(k * d + k)];
        // The shared objective, C * summed cross-entropy + 0.5 |W|^2, evaluated at both solutions: ours must be at
        // least as low (L-BFGS stops on a function tolerance, leaving parameters about 1e-5 from the optimum).
        double Objective(double[] w, double[] b) => Enumerable.Range(0, labels.Length).Sum(i =>
        {
            var z = Enumerable.Range(0, k).Select(a => b[a] + Enumerable.Range(0, d).Sum(j => w[a * d + j] * x[i, j]))
                .ToArray();
            double max = z.Max();
            return max + Math.Log(z.Sum(v => Math.Exp(v - max))) - z[labels[i]];
        }) + 0.5 * w.Sum(v => v * v);
        double ours = Objective(ourW, probe.Intercepts), theirs = Objective(theirW, theirB);
        Assert.True(ours <= theirs + 1e-9, $"objective {ours:R} vs scikit-learn's {theirs:R}");
        // Multinomial parameters are defined up to a shift shared by the classes (intercepts are unpenalised).
        double[] Centred(double[] flat, int width) =>
            flat.Select((v, i) => v - Enumerable.Range(0, k).Average(a => flat[a * width + i % width])).ToArray();
        Assert.Equal(Centred(theirW, d).Concat(Centred(theirB, 1)),
            Centred(ourW, d).Concat(Centred(probe.Intercepts, 1)), new Tol(1e-4));
        Assert.Equal(reference[^1], probe.Accuracy(x, labels), 12);
    }

    [Fact]
    public void HandComputedCases()
    {
        // Two pairs: a = 1 for every point; b = 10.5 for the outer points (0 and 11), 9.5 for the inner ones.
        var x = new double[,] { { 0 }, { 1 }, { 10 }, { 11 } };
        Assert.Equal((9.5 / 10.5 + 8.5 / 9.5) / 2, ClusterScores.Silhouette(x, new[] { 0, 0, 1, 1 }), 12);
        // same partition, other names
        Assert.Equal(1.0, ClusterScores.AdjustedRandIndex(new[] { 0, 0, 1, 1 }, new[] { 5, 5, 7, 7 }), 12);
        Assert.Equal(1.0, ClusterScores.NormalizedMutualInformation(new[] { 0, 0, 1, 1 }, new[] { 1, 1, 0, 0 }), 12);
        Assert.Equal(0.0, ClusterScores.NormalizedMutualInformation(new[] { 0, 0, 1, 1 }, new[] { 0, 1, 0, 1 }), 12);
        Assert.Equal(-0.5, ClusterScores.AdjustedRandIndex(new[] { 0, 0, 1, 1 }, new[] { 0, 1, 0, 1 }), 12);
    }

    [Fact]
    public void BadInputIsRefusedWithTheReason()
    {
        var x = new double[,] { { 0, 1 }, { 1, double.NaN }, { 2, 2 } };
        Assert.Contains("NaN at row 1, column 1",
            Assert.Throws<ArgumentException>(() => ClusterScores.Silhouette(x, new[] { 0, 1, 1 })).Message);
        var ok = new double[,] { { 0 }, { 1 }, { 2 } };
        Assert.Contains("2 entries but there are 3 points",
            Assert.Throws<ArgumentException>(() => ClusterScores.Silhouette(ok, new[] { 0, 1 })).Message);
        Assert.Contains("at least 2 are needed",
            Assert.Throws<ArgumentException>(() => ClusterScores.Silhouette(ok, new[] { 4, 4, 4 })).Message);
        Assert.Contains("differ in length",
            Assert.Throws<ArgumentException>(() => ClusterScores.AdjustedRandIndex(new[] { 0, 1 }, new[] { 0 }))
                .Message);
        Assert.Throws<ArgumentException>(() => Pca.Fit(ok, 2));
    }
}

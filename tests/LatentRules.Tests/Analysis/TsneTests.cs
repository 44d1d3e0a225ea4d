using System.Text.Json;
using LatentRules.Analysis;
using LatentRules.Tests.Support;
using LatentRules.Tests.Torch;

namespace LatentRules.Tests.Analysis;

/// <summary>
/// t-SNE and trustworthiness against scikit-learn 1.2 (Debian's python3-sklearn): the affinities P, the KL
/// divergence and its gradient at the same embedding, whole runs from the same start, and a finite-difference check.
/// </summary>
public sealed class TsneTests
{
    /// <summary>
    /// Three blobs of small-integer points: every squared distance is an integer below 2^24, so scikit-learn's
    /// float32 distances are exact and both sides search the same perplexities on the same numbers.
    /// </summary>
    private static (double[,] x, int[] labels) IntegerBlobs(int n, int d, int seed)
    {
        var rng = new Random(seed);
        var x = new double[n, d];
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            labels[i] = i % 3;
            for (int j = 0; j < d; j++) x[i, j] = rng.Next(-6, 7) + (j % 3 == labels[i] ? 12 : 0);
        }
        return (x, labels);
    }

    private static (double[,] x, int[] labels) GaussianBlobs(int n, int d, int seed)
    {
        var rng = new Random(seed);
        var x = new double[n, d];
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            labels[i] = i % 4;
            for (int j = 0; j < d; j++)
                x[i, j] = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()) +
                    (j % 4 == labels[i] ? 5 : 0);
        }
        return (x, labels);
    }

    private static double[][] Rows(double[,] m) =>
        Enumerable.Range(0, m.GetLength(0))
            .Select(i => Enumerable.Range(0, m.GetLength(1)).Select(j => m[i, j]).ToArray()).ToArray();

    private static double[,] Dense(JointProbabilities p)
    {
        var dense = new double[p.Count, p.Count];
        for (int i = 0; i < p.Count; i++)
        {
            for (int j = 0; j < p.Count; j++) if (j != i) dense[i, j] = p.Floor;
            for (int m = p.RowStart[i]; m < p.RowStart[i + 1]; m++) dense[i, p.Columns[m]] = p.Values[m];
        }
        return dense;
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void ExactAffinitiesKlAndGradientEqualScikitLearn()
    {
        var (x, _) = IntegerBlobs(90, 6, seed: 3);
        int n = x.GetLength(0);
        var p = JointProbabilities.Exact(Points.Flatten(x), n, 6, perplexity: 12);
        var rng = new Random(5);
        var y = Enumerable.Range(0, n * 2).Select(_ => rng.NextDouble() * 4 - 2).ToArray();
        var y3 = Enumerable.Range(0, n * 3).Select(_ => rng.NextDouble() * 4 - 2).ToArray();
        string data = JsonSerializer.Serialize(new { x = Rows(x), y, y3 });
        var reference = PythonReference.Numbers(PythonReference.Run($$"""
            import json, numpy as np
            from scipy.spatial.distance import squareform
            from sklearn.metrics import pairwise_distances
            from sklearn.manifold._t_sne import _joint_probabilities, _kl_divergence
            d = json.loads('''{{data}}''')
            x = np.array(d["x"]); y = np.array(d["y"])
            P = _joint_probabilities(pairwise_distances(x, squared=True), 12, 0)
            kl, grad = _kl_divergence(y, P, 1, len(x), 2)
            kl3, grad3 = _kl_divergence(np.array(d["y3"]), P, 2, len(x), 3)
            print(" ".join(repr(float(v)) for v in list(squareform(P).ravel()) + [kl] + list(grad)
                           + [kl3] + list(grad3)))
            """));
        var ours = Dense(p);
        var theirP = reference.Take(n * n).ToArray();
        Assert.Equal(theirP, Rows(ours).SelectMany(r => r).ToArray(), new Tol(1e-12));

        var gradient = new double[n * 2];
        double kl = new TsneGradient(p, 2, 1).Evaluate(y, gradient, computeError: true);
        Assert.Equal(reference[n * n], kl, new Tol(1e-10));
        Assert.Equal(reference.Skip(n * n + 1).Take(n * 2).ToArray(), gradient, new Tol(1e-10));

        // Three components: a Student t with two degrees of freedom, scikit-learn's update rule included.
        var gradient3 = new double[n * 3];
        double kl3 = new TsneGradient(p, 3, 2).Evaluate(y3, gradient3, computeError: true);
        Assert.Equal(reference[n * n + 1 + n * 2], kl3, new Tol(1e-10));
        Assert.Equal(reference.Skip(n * n + 2 + n * 2).ToArray(), gradient3, new Tol(1e-10));
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void NeighbourAffinitiesAndBarnesHutGradientEqualScikitLearn()
    {
        var (x, _) = IntegerBlobs(150, 5, seed: 4);
        int n = x.GetLength(0);
        var p = JointProbabilities.NearestNeighbors(Points.Flatten(x), n, 5, perplexity: 10);
        var rng = new Random(6);
        var y = Enumerable.Range(0, n * 2).Select(_ => rng.NextDouble() * 10 - 5).ToArray();
        string data = JsonSerializer.Serialize(new { x = Rows(x), y });
        // Ties between equally distant neighbours may be broken differently, so P is compared where neither side is
        // tied.
        var reference = PythonReference.Numbers(PythonReference.Run($$"""
            import json, numpy as np
            from sklearn.neighbors import NearestNeighbors
            from sklearn.manifold._t_sne import _joint_probabilities_nn, _kl_divergence_bh
            d = json.loads('''{{data}}''')
            x = np.array(d["x"]); y = np.array(d["y"], dtype=np.float32)
            k = min(len(x) - 1, int(3.0 * 10 + 1))
            D = NearestNeighbors(n_neighbors=k).fit(x).kneighbors_graph(mode="distance")
            D.data **= 2
            P = _joint_probabilities_nn(D, 10, 0)
            kl, grad = _kl_divergence_bh(y, P, 1, len(x), 2, angle=0.5)
            print(" ".join(repr(float(v)) for v in list(P.toarray().ravel()) + [kl] + list(grad)))
            """));
        var theirs = reference.Take(n * n).ToArray();
        var ours = Rows(Dense(p)).SelectMany(r => r).ToArray();
        int differing = Enumerable.Range(0, n * n).Count(m => Math.Abs(theirs[m] - ours[m]) > 1e-9);
        Assert.True(differing <= n * n / 100, $"{differing} of {n * n} P entries differ from scikit-learn's");

        // The gradient on scikit-learn's own P: its tree code works in float32, hence the tolerance.
        var theirP = new double[n, n];
        for (int m = 0; m < n * n; m++) theirP[m / n, m % n] = theirs[m];
        var gradient = new double[n * 2];
        var yRounded = y.Select(v => (double)(float)v).ToArray();
        double kl = new TsneGradient(JointProbabilities.FromDense(theirP, 0), 2, 1, angle: 0.5)
            .Evaluate(yRounded, gradient, computeError: true);
        Assert.Equal(reference[n * n], kl, new Tol(1e-5));
        double scale = gradient.Max(Math.Abs);
        var their = reference.Skip(n * n + 1).ToArray();
        for (int m = 0; m < gradient.Length; m++)
            Assert.True(Math.Abs(their[m] - gradient[m]) <= 1e-4 * scale,
                $"gradient entry {m}: ours {gradient[m]}, scikit-learn {their[m]}");
    }

    [Theory]
    [InlineData(2, false)]
    [InlineData(3, false)]
    [InlineData(2, true)]
    public void ExactGradientMatchesFiniteDifferencesOfTheKlDivergence(int components, bool barnesHutWithZeroAngle)
    {
        var (x, _) = GaussianBlobs(40, 4, seed: 8);
        var method = barnesHutWithZeroAngle ? JointProbabilities.NearestNeighbors(Points.Flatten(x), 40, 4, 8)
            : JointProbabilities.Exact(Points.Flatten(x), 40, 4, 8);
        // Angle 0 opens every cell, so Barnes-Hut's repulsion is exact too; its KL only covers stored pairs, so only
        // the exact KL is differentiated. One degree of freedom: for more, scikit-learn's update (which we follow, and
        // compare with it above) weights pairs by w_ij rather than by (1 + d_ij^2 / dof)^-1, so it is not the
        // derivative of its KL divergence.
        var objective = new TsneGradient(method, components, 1, barnesHutWithZeroAngle ? 0 : double.NaN);
        var exact = new TsneGradient(method, components, 1);
        var rng = new Random(9);
        var y = Enumerable.Range(0, 40 * components).Select(_ => rng.NextDouble() * 6 - 3).ToArray();
        var gradient = new double[y.Length];
        objective.Evaluate(y, gradient, computeError: false);
        var scratch = new double[y.Length];
        const double h = 1e-6;
        for (int m = 0; m < y.Length; m += 7)
        {
            double keep = y[m];
            y[m] = keep + h; double plus = exact.Evaluate(y, scratch, true);
            y[m] = keep - h; double minus = exact.Evaluate(y, scratch, true);
            y[m] = keep;
            Assert.Equal((plus - minus) / (2 * h), gradient[m], new Tol(1e-6));
        }
    }

    [Trait("Category", "Slow")]
    [Theory]
    [InlineData("exact")]
    [InlineData("barnes_hut")]
    public void WholeRunFollowsScikitLearnFromTheSameStart(string method)
    {
        var (x, _) = GaussianBlobs(200, 8, seed: 11);
        var start = new double[200, 2];
        var rng = new Random(12);
        for (int i = 0; i < 200; i++) for (int k = 0; k < 2; k++) start[i, k] = (rng.NextDouble() - 0.5) * 2e-4;
        var ours = Tsne.Fit(x, new TsneOptions
        {
            Method = method == "exact" ? TsneMethod.Exact : TsneMethod.BarnesHut, InitialEmbedding = start,
        });
        string data = JsonSerializer.Serialize(new { x = Rows(x), start = Rows(start) });
        var reference = PythonReference.Numbers(PythonReference.Run($$"""
            import json, numpy as np
            from sklearn.manifold import TSNE, trustworthiness
            d = json.loads('''{{data}}''')
            x = np.array(d["x"]); start = np.array(d["start"], dtype=np.float32)
            t = TSNE(method="{{method}}", init=start, learning_rate="auto", random_state=0)
            e = t.fit_transform(x)
            print(t.kl_divergence_, t.n_iter_, trustworthiness(x, e, n_neighbors=5))
            """, timeoutSeconds: 300));
        Assert.InRange(ours.KlDivergence / reference[0], 0.97, 1.03);
        Assert.Equal(reference[1], ours.LastIteration);
        Assert.InRange(EmbeddingScores.Trustworthiness(x, ours.Embedding), reference[2] - 0.01, 1.0);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void EngineTensorObjectiveEqualsTheCpuLoopsAndFreesItsTensors(int components)
    {
        var (x, _) = GaussianBlobs(70, 5, seed: 17);
        var p = JointProbabilities.Exact(Points.Flatten(x), 70, 5, perplexity: 9);
        var rng = new Random(18);
        var y = Enumerable.Range(0, 70 * components).Select(_ => rng.NextDouble() * 8 - 4).ToArray();
        var loops = new TsneGradient(p, components, Math.Max(components - 1, 1));
        using var tensors = new TsneTensorObjective(p, components, Math.Max(components - 1, 1), TorchSharp.torch.CPU);
        long live = LatentRules.Tests.Support.LiveTensors.OnThisThread;
        foreach (double exaggeration in new[] { 12.0, 1.0 })
        {
            loops.SetExaggeration(exaggeration);
            tensors.SetExaggeration(exaggeration);
            var expected = new double[y.Length];
            var actual = new double[y.Length];
            double klLoops = loops.Evaluate(y, expected, computeError: true);
            double klTensors = tensors.Evaluate(y, actual, computeError: true);
            Assert.Equal(klLoops, klTensors, new Tol(1e-10));
            Assert.Equal(expected, actual, new Tol(1e-10));
        }
        Assert.Equal(live, LatentRules.Tests.Support.LiveTensors.OnThisThread);

        // Twenty descent steps from the same start follow the same path (whole runs are chaotic: a change of 1e-14 in
        // one starting coordinate moves the final KL by several percent, so they are not compared to the last digit).
        var fromLoops = y.Select(v => v * 1e-4).ToArray();
        var fromTensors = (double[])fromLoops.Clone();
        Tsne.GradientDescent(loops, fromLoops, 0, 20, 0.5, 50, 250, 1e-7);
        Tsne.GradientDescent(tensors, fromTensors, 0, 20, 0.5, 50, 250, 1e-7);
        Assert.Equal(fromLoops, fromTensors, new Tol(1e-9));
        var run =
            Tsne.Fit(x, new TsneOptions { Perplexity = 9, Components = components, Device = TorchSharp.torch.CPU });
        Assert.Equal(999, run.LastIteration);
        Assert.Equal(live, LatentRules.Tests.Support.LiveTensors.OnThisThread);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void TrustworthinessEqualsScikitLearn()
    {
        var (x, _) = GaussianBlobs(120, 6, seed: 13);
        var pca = Pca.Fit(x, 2).Transform(x);
        var noisy = new double[120, 2];
        var rng = new Random(14);
        for (int i = 0; i < 120; i++) for (int k = 0; k < 2; k++) noisy[i, k] = pca[i, k] + rng.NextDouble() * 3;
        string data = JsonSerializer.Serialize(new { x = Rows(x), a = Rows(pca), b = Rows(noisy) });
        var reference = PythonReference.Numbers(PythonReference.Run($$"""
            import json, numpy as np
            from sklearn.manifold import trustworthiness
            d = json.loads('''{{data}}''')
            x = np.array(d["x"])
            print(trustworthiness(x, np.array(d["a"]), n_neighbors=5),
                  trustworthiness(x, np.array(d["b"]), n_neighbors=12))
            """));
        Assert.Equal(reference[0], EmbeddingScores.Trustworthiness(x, pca), new Tol(1e-12));
        Assert.Equal(reference[1], EmbeddingScores.Trustworthiness(x, noisy, neighbors: 12), new Tol(1e-12));
        Assert.Equal(1.0, EmbeddingScores.Trustworthiness(x, x), 12);          // the identity keeps every neighbourhood
    }

    [Fact]
    public void SameSeedSameEmbeddingAndDifferentSeedsDiffer()
    {
        var (x, _) = GaussianBlobs(60, 4, seed: 15);
        var options = new TsneOptions { Init = TsneInit.Random, Seed = 3, Perplexity = 10, Iterations = 300 };
        var a = Tsne.Fit(x, options);
        var b = Tsne.Fit(x, options);
        var c = Tsne.Fit(x, options with { Seed = 4 });
        Assert.Equal(Rows(a.Embedding).SelectMany(r => r), Rows(b.Embedding).SelectMany(r => r));
        Assert.NotEqual(Rows(a.Embedding).SelectMany(r => r), Rows(c.Embedding).SelectMany(r => r));
        Assert.Equal(299, a.LastIteration);
    }

    [Fact]
    public void BadInputIsRefusedWithTheReason()
    {
        var (x, _) = GaussianBlobs(20, 3, seed: 16);
        Assert.Contains("perplexity (30) must be less than the number of points (20)",
            Assert.Throws<ArgumentException>(() => Tsne.Fit(x)).Message);
        x[4, 1] = double.NaN;
        Assert.Contains("NaN at row 4, column 1",
            Assert.Throws<ArgumentException>(() => Tsne.Fit(x, new TsneOptions { Perplexity = 5 })).Message);
        var (ok, _) = GaussianBlobs(20, 3, seed: 16);
        Assert.Contains("initial embedding is 3 x 2, expected 20 x 2",
            Assert.Throws<ArgumentException>(() =>
                Tsne.Fit(ok, new TsneOptions { Perplexity = 5, InitialEmbedding = new double[3, 2] })).Message);
        Assert.Contains("at most 3 components", Assert.Throws<ArgumentException>(() =>
            Tsne.Fit(ok, new TsneOptions { Perplexity = 5, Components = 4, Method = TsneMethod.BarnesHut })).Message);
        Assert.Contains("a device (cpu) needs TsneMethod.Exact", Assert.Throws<ArgumentException>(() =>
            Tsne.Fit(ok,
                new TsneOptions { Perplexity = 5, Method = TsneMethod.BarnesHut, Device = TorchSharp.torch.CPU }))
            .Message);
        Assert.Contains("embedding has 5 rows but there are 20 points",
            Assert.Throws<ArgumentException>(() => EmbeddingScores.Trustworthiness(ok, new double[5, 2])).Message);
    }
}

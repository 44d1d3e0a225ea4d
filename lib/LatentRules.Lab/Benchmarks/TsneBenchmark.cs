using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LatentRules.Analysis;
using LatentRules.Lab.Commands;
using LatentRules.Randomness;

namespace LatentRules.Lab.Benchmarks;

/// <summary>
/// `bench tsne`: t-SNE (exact and Barnes-Hut) on N=2,000 points of dimension 32 drawn around 8 seeded Gaussian
/// centres, and silhouette, k-means (8 clusters, 10 restarts), ARI and NMI on N=10,000 such points, in C# and in
/// scikit-learn (tsne_reference.py) on the same data files. Prints a Markdown table of times and values; last line
/// `ratio &lt;C# exact t-SNE time / scikit-learn exact t-SNE time&gt;`.
/// Also one evaluation of the exact objective in C# loops and as engine tensor ops (--device cpu|cuda).
/// Options: --n 2000, --score-n 10000, --dims 32, --clusters 8, --sklearn-exact skip (leave out scikit-learn's exact
/// run, about 3 minutes on 2 cores; the ratio line then says n/a).
/// </summary>
public static class TsneBenchmark
{
    public static int Run(ParsedArgs args)
    {
        int n = args.Int("n", 2000), scoreN = args.Int("score-n", 10_000), dims = args.Int("dims", 32),
            k = args.Int("clusters", 8);
        bool skipExact = args.Option("sklearn-exact") == "skip";
        var (x, _) = Clusters(n, dims, k, seed: 1);
        var (z, labels) = Clusters(scoreN, dims, k, seed: 2);
        string folder = Path.Combine(Path.GetTempPath(), $"latentrules-bench-tsne-{Environment.ProcessId}");
        Directory.CreateDirectory(folder);
        try
        {
            string xPath = Path.Combine(folder, "tsne.f64"), zPath = Path.Combine(folder, "scores.f64"),
                lPath = Path.Combine(folder, "labels.i32");
            WriteDoubles(xPath, x);
            WriteDoubles(zPath, z);
            File.WriteAllBytes(lPath, labels.SelectMany(BitConverter.GetBytes).ToArray());
            Console.WriteLine($"{Environment.ProcessorCount} cores; t-SNE on {n} x {dims}, scores on {scoreN} x " +
                $"{dims}; {k} Gaussian clusters");

            Tsne.Fit(Clusters(300, dims, k, seed: 3).x, new TsneOptions { Iterations = 250 });   // JIT warm-up
            var exact = Time(() => Tsne.Fit(x, new TsneOptions { Method = TsneMethod.Exact }));
            var barnesHut = Time(() => Tsne.Fit(x, new TsneOptions { Method = TsneMethod.BarnesHut }));
            var silhouette = Time(() => ClusterScores.Silhouette(z, labels));
            var kmeans = Time(() => KMeans.Fit(z, k, restarts: 10, seed: 0));
            var ari = Time(() => ClusterScores.AdjustedRandIndex(labels, kmeans.value.Labels));
            var nmi = Time(() => ClusterScores.NormalizedMutualInformation(labels, kmeans.value.Labels));

            var (loopsMs, tensorsMs) =
                ObjectiveMilliseconds(x, LatentRules.Torch.Devices.Resolve(args.Option("device") ?? "cpu"));

            var py = PythonReferenceScript.Run("tsne_reference.py", xPath, n, dims, zPath, lPath, scoreN, dims, k,
                skipExact ? 1 : 0);
            var inv = CultureInfo.InvariantCulture;
            Console.WriteLine();
            Console.WriteLine("| workload | C# (s) | scikit-learn (s) | C# / scikit-learn | C# value | " +
                "scikit-learn value |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|");
            void Row(string name, double seconds, double value, string key)
            {
                bool has = py.TryGetProperty(key, out var r);
                string pySeconds = has ? r.GetProperty("seconds").GetDouble().ToString("F3", inv) : "skipped";
                string ratio = has ? (seconds / r.GetProperty("seconds").GetDouble()).ToString("F4", inv) : "";
                string pyValue = has ? r.GetProperty("value").GetDouble().ToString("F6", inv) : "";
                Console.WriteLine(string.Format(inv, "| {0} | {1:F3} | {2} | {3} | {4:F6} | {5} |", name, seconds,
                    pySeconds, ratio, value, pyValue));
            }
            Row($"t-SNE exact, N={n}: final KL", exact.seconds, exact.value.KlDivergence, "tsne_exact");
            Row($"t-SNE Barnes-Hut, N={n}: final KL", barnesHut.seconds, barnesHut.value.KlDivergence,
                "tsne_barnes_hut");
            Row($"silhouette, N={scoreN}", silhouette.seconds, silhouette.value, "silhouette");
            Row($"k-means k={k}, 10 restarts, N={scoreN}: inertia", kmeans.seconds, kmeans.value.Inertia, "kmeans");
            Row("ARI (k-means vs labels)", ari.seconds, ari.value, "ari");
            Row("NMI (k-means vs labels)", nmi.seconds, nmi.value, "nmi");
            Console.WriteLine();
            Console.WriteLine(string.Format(inv,
                "exact t-SNE gradient, one evaluation at N={0}: C# loops {1:F1} ms, engine tensors {2:F1} ms", n,
                loopsMs, tensorsMs));
            if (py.TryGetProperty("tsne_exact", out var pyExact))
            {
                double pyKl = pyExact.GetProperty("value").GetDouble();
                Console.WriteLine(
                    string.Format(inv, "exact t-SNE KL: C# {0:F4} vs scikit-learn {1:F4} ({2:+0.00;-0.00}%)",
                    exact.value.KlDivergence, pyKl, 100 * (exact.value.KlDivergence / pyKl - 1)));
                Console.WriteLine(
                    string.Format(inv, "ratio {0:F4}", exact.seconds / pyExact.GetProperty("seconds").GetDouble()));
            }
            else Console.WriteLine("ratio n/a (scikit-learn's exact run skipped)");
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Mean time of one gradient evaluation (no KL: 49 of every 50 iterations) of the exact objective, C#
    /// loops and engine tensors on a device.</summary>
    private static (double loops, double tensors) ObjectiveMilliseconds(double[,] x, TorchSharp.torch.Device device)
    {
        int n = x.GetLength(0), d = x.GetLength(1), repeats = 20;
        var p = JointProbabilities.Exact(Points.Flatten(x), n, d, 30);
        var rng = new SeededRandom(0, "t-sne-benchmark/embedding");
        var y = Enumerable.Range(0, n * 2).Select(_ => rng.NextDouble()).ToArray();
        var gradient = new double[y.Length];
        double Mean(ITsneObjective objective)
        {
            objective.Evaluate(y, gradient, false);                                    // warm-up
            long start = Stopwatch.GetTimestamp();
            for (int r = 0; r < repeats; r++) objective.Evaluate(y, gradient, false);
            return Stopwatch.GetElapsedTime(start).TotalMilliseconds / repeats;
        }
        using var tensors = new TsneTensorObjective(p, 2, 1, device);
        return (Mean(new TsneGradient(p, 2, 1)), Mean(tensors));
    }

    /// <summary>n points of dimension d around k centres (centres ~ N(0, 3^2) per coordinate, points ~ N(centre, 1));
    /// label i % k.</summary>
    public static (double[,] x, int[] labels) Clusters(int n, int d, int k, int seed)
    {
        var rng = new SeededRandom(seed, "t-sne-benchmark/clusters");
        double Normal() => rng.NextGaussian();
        var centres = new double[k, d];
        for (int c = 0; c < k; c++) for (int j = 0; j < d; j++) centres[c, j] = 3 * Normal();
        var x = new double[n, d];
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            labels[i] = i % k;
            for (int j = 0; j < d; j++) x[i, j] = centres[labels[i], j] + Normal();
        }
        return (x, labels);
    }

    private static void WriteDoubles(string path, double[,] x)
    {
        var bytes = new byte[x.Length * sizeof(double)];
        Buffer.BlockCopy(x, 0, bytes, 0, bytes.Length);              // little-endian on every platform .NET runs here
        File.WriteAllBytes(path, bytes);
    }

    private static (double seconds, T value) Time<T>(Func<T> f)
    {
        long start = Stopwatch.GetTimestamp();
        var value = f();
        return (Stopwatch.GetElapsedTime(start).TotalSeconds, value);
    }
}

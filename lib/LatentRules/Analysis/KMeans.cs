using LatentRules.Randomness;

namespace LatentRules.Analysis;

/// <summary>
/// k-means with scikit-learn's recipe: greedy k-means++ seeding (2 + ln k candidate centres per step, keeping the
/// one that lowers the potential most), Lloyd iterations until the centres move less than tol times the mean
/// per-feature variance, and the best of several seeded restarts by inertia.
/// </summary>
public sealed class KMeans
{
    public double[,] Centers { get; }
    public int[] Labels { get; }
    /// <summary>Sum of squared distances of points to their centre.</summary>
    public double Inertia { get; }

    private KMeans(double[,] centers, int[] labels, double inertia)
    {
        Centers = centers;
        Labels = labels;
        Inertia = inertia;
    }

    public static KMeans Fit(double[,] x, int k, int restarts = 10, int seed = 0, int maxIterations = 300,
        double tol = 1e-4)
    {
        Points.Check(x);
        int n = x.GetLength(0), d = x.GetLength(1);
        if (k < 1 || k > n) throw new ArgumentException($"k must be in 1..{n} (the number of points), got {k}");
        if (restarts < 1) throw new ArgumentException($"restarts must be at least 1, got {restarts}");
        double meanVariance = 0;
        for (int j = 0; j < d; j++)
        {
            double mean = 0, sq = 0;
            for (int i = 0; i < n; i++) mean += x[i, j] / n;
            for (int i = 0; i < n; i++) sq += (x[i, j] - mean) * (x[i, j] - mean) / n;
            meanVariance += sq / d;
        }
        var rng = new SeededRandom(seed, "k-means/seeding");
        var flat = Points.Flatten(x);                                     // [n * d], point i at [i * d, (i + 1) * d)
        KMeans? best = null;
        for (int r = 0; r < restarts; r++)
        {
            var run = Lloyd(flat, n, d, Seed(flat, n, d, k, rng), maxIterations, tol * meanVariance);
            if (best is null || run.Inertia < best.Inertia) best = run;
        }
        return best!;
    }

    /// <summary>Squared distance of point i to centre j (both row-major with d columns).</summary>
    private static double Distance2(double[] x, int i, double[] centers, int j, int d) =>
        Distances.Squared(x.AsSpan(i * d, d), centers.AsSpan(j * d, d));

    private static double[] Seed(double[] x, int n, int d, int k, SeededRandom rng)
    {
        int trials = 2 + (int)Math.Log(k);
        var centers = new double[k * d];                                  // [k * d]
        void SetCenter(int c, int i) => Array.Copy(x, i * d, centers, c * d, d);
        SetCenter(0, rng.Next(n));
        var closest = new double[n];
        for (int i = 0; i < n; i++) closest[i] = Distance2(x, i, centers, 0, d);
        for (int c = 1; c < k; c++)
        {
            double potential = closest.Sum();
            int bestCandidate = -1;
            double bestPotential = double.PositiveInfinity;
            double[]? bestClosest = null;
            for (int trial = 0; trial < trials; trial++)
            {
                // Sample a point with probability proportional to its squared distance to the nearest centre.
                double target = rng.NextDouble() * potential, acc = 0;
                int candidate = n - 1;
                for (int i = 0; i < n; i++) { acc += closest[i]; if (acc >= target) { candidate = i; break; } }
                SetCenter(c, candidate);
                var next = new double[n];
                for (int i = 0; i < n; i++) next[i] = Math.Min(closest[i], Distance2(x, i, centers, c, d));
                double p = next.Sum();
                if (p < bestPotential) { bestPotential = p; bestCandidate = candidate; bestClosest = next; }
            }
            SetCenter(c, bestCandidate);
            closest = bestClosest!;
        }
        return centers;
    }

    /// <summary>
    /// Each point's nearest centre and squared distance; points in parallel (each result depends on its point only).
    /// </summary>
    private static void Assign(double[] x, int n, int d, double[] centers, int k, int[] labels, double[] distance)
    {
        Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = (long)n * k * d < 1_000_000 ? 1 : -1 }, i =>
        {
            int bestJ = 0;
            double bestD = double.PositiveInfinity;
            for (int j = 0; j < k; j++)
            {
                double dist = Distance2(x, i, centers, j, d);
                if (dist < bestD) { bestD = dist; bestJ = j; }
            }
            labels[i] = bestJ;
            distance[i] = bestD;
        });
    }

    private static KMeans Lloyd(double[] x, int n, int d, double[] centers, int maxIterations, double tol)
    {
        int k = centers.Length / d;
        var labels = new int[n];
        var distance = new double[n];
        for (int iteration = 0; iteration < maxIterations; iteration++)
        {
            Assign(x, n, d, centers, k, labels, distance);
            var next = new double[k * d];                                 // [k * d]
            var counts = new int[k];
            for (int i = 0; i < n; i++)
            {
                counts[labels[i]]++;
                for (int t = 0; t < d; t++) next[labels[i] * d + t] += x[i * d + t];
            }
            double shift = 0;
            for (int j = 0; j < k; j++)
                for (int t = 0; t < d; t++)
                {
                    // An empty cluster keeps its centre.
                    int at = j * d + t;
                    double value = counts[j] > 0 ? next[at] / counts[j] : centers[at];
                    shift += (value - centers[at]) * (value - centers[at]);
                    next[at] = value;
                }
            centers = next;
            if (shift <= tol) break;
        }
        Assign(x, n, d, centers, k, labels, distance);
        double inertia = 0;
        for (int i = 0; i < n; i++) inertia += distance[i];
        return new KMeans(Points.Unflatten(centers, k, d), labels, inertia);
    }
}

using LatentRules.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace LatentRules.Analysis;

public enum TsneMethod
{
    /// <summary>
    /// All N^2 pairs every iteration (scikit-learn's method="exact"); memory about 8 N^2 bytes while P is built.
    /// </summary>
    Exact,
    /// <summary>
    /// P over 3 * perplexity nearest neighbours, repulsion through a quadtree/octree (method="barnes_hut").
    /// </summary>
    BarnesHut,
}

public enum TsneInit
{
    /// <summary>The first principal components, scaled so the first has standard deviation 1e-4.</summary>
    Pca,
    /// <summary>
    /// Independent normal coordinates with standard deviation 1e-4, from <see cref="TsneOptions.Seed"/>.
    /// </summary>
    Random,
}

/// <summary>
/// t-SNE settings; the defaults are scikit-learn 1.2's (<c>TSNE(init="pca", learning_rate="auto")</c>).
/// </summary>
public sealed record TsneOptions
{
    /// <summary>Dimensions of the embedding (2 for pictures).</summary>
    public int Components { get; init; } = 2;
    /// <summary>Effective number of neighbours of each point's Gaussian; must be below the number of points.</summary>
    public double Perplexity { get; init; } = 30;
    /// <summary>Factor on P during the first 250 iterations.</summary>
    public double EarlyExaggeration { get; init; } = 12;
    /// <summary>null: "auto", max(N / early exaggeration / 4, 50).</summary>
    public double? LearningRate { get; init; }
    /// <summary>
    /// Total iterations, the 250 with early exaggeration included (scikit-learn's n_iter; at least 250).
    /// </summary>
    public int Iterations { get; init; } = 1000;
    /// <summary>Stop when the KL divergence (checked every 50 iterations) has not improved for this many.</summary>
    public int IterationsWithoutProgress { get; init; } = 300;
    /// <summary>Stop when the gradient's norm falls to this.</summary>
    public double MinGradNorm { get; init; } = 1e-7;
    /// <summary>null: exact up to <see cref="Tsne.ExactLimit"/> points, Barnes-Hut above.</summary>
    public TsneMethod? Method { get; init; }
    /// <summary>Barnes-Hut opening angle (theta).</summary>
    public double Angle { get; init; } = 0.5;
    /// <summary>How the embedding starts (scikit-learn 1.2 default: PCA).</summary>
    public TsneInit Init { get; init; } = TsneInit.Pca;
    /// <summary>A starting embedding [N, components]; replaces <see cref="Init"/> when set.</summary>
    public double[,]? InitialEmbedding { get; init; }
    /// <summary>
    /// Seed of the random start (<see cref="TsneInit.Random"/>); PCA and given starts are deterministic anyway.
    /// </summary>
    public int Seed { get; init; }
    /// <summary>
    /// null: the objective runs in fused, multi-threaded C# loops on the CPU (the fastest here). A device: the exact
    /// objective runs as engine tensor operations there (for a GPU; exact method only).
    /// </summary>
    public Device? Device { get; init; }
}

/// <summary>t-SNE's objective: the KL divergence and its gradient (scikit-learn's update) at an embedding.</summary>
internal interface ITsneObjective
{
    /// <summary>P is multiplied by this factor from now on (1 after the early-exaggeration stage).</summary>
    void SetExaggeration(double factor);

    /// <summary>
    /// Writes the gradient at <paramref name="embedding"/> (row-major [n, components]) into <paramref name="gradient"/>
    /// and returns the KL divergence, or NaN when <paramref name="computeError"/> is false.
    /// </summary>
    double Evaluate(double[] embedding, double[] gradient, bool computeError);
}

/// <summary>
/// t-SNE with scikit-learn 1.2's algorithm: P from a binary search on each point's Gaussian precision to the
/// perplexity, symmetrised and normalised; Student-t Q with max(components - 1, 1) degrees of freedom; gradient
/// descent with momentum 0.5 and P times the early exaggeration for 250 iterations, then momentum 0.8; per-parameter
/// gains (+0.2 when the gradient's sign flips against the update, *0.8 otherwise, at least 0.01); every 50
/// iterations the KL divergence is checked, stopping after IterationsWithoutProgress without improvement or when
/// the gradient norm falls to MinGradNorm. Everything is in double precision (scikit-learn keeps the embedding in
/// float32). Differences to keep in mind: the PCA initialisation is exact (scikit-learn's is randomized and rounded
/// to float32) and the random initialisation uses .NET's generator, so a run follows scikit-learn's closely but not
/// bit for bit; results are identical for identical input and seed, whatever the thread count.
/// </summary>
public sealed class Tsne
{
    /// <summary>Largest N for which the default method is exact.</summary>
    public const int ExactLimit = 5000;
    /// <summary>Largest N the exact method accepts (P is built from a dense N x N matrix).</summary>
    public const int ExactMaximum = 20000;
    private const int ExplorationIterations = 250, CheckEvery = 50;

    public double[,] Embedding { get; }
    /// <summary>KL(P || Q) at the last iteration (scikit-learn's kl_divergence_).</summary>
    public double KlDivergence { get; }
    /// <summary>Index of the last iteration run (scikit-learn's n_iter_): 999 for a full default run.</summary>
    public int LastIteration { get; }
    public TsneMethod Method { get; }
    public double LearningRate { get; }

    private Tsne(double[,] embedding, double kl, int lastIteration, TsneMethod method, double learningRate)
    {
        Embedding = embedding; KlDivergence = kl; LastIteration = lastIteration; Method = method;
        LearningRate = learningRate;
    }

    public static Tsne Fit(double[,] x, TsneOptions? options = null)
    {
        options ??= new TsneOptions();
        Points.Check(x);
        int n = x.GetLength(0), d = x.GetLength(1), c = options.Components;
        Validate(options, n);
        var method = options.Method ?? (n <= ExactLimit ? TsneMethod.Exact : TsneMethod.BarnesHut);
        if (method == TsneMethod.Exact && n > ExactMaximum)
            throw new ArgumentException($"exact t-SNE is limited to {ExactMaximum} points (P is built from a dense " +
                $"{n} x {n} matrix); use TsneMethod.BarnesHut");
        if (method == TsneMethod.BarnesHut && options.Device is { } device)
            throw new ArgumentException($"Barnes-Hut t-SNE runs on the CPU; a device ({device}) needs " +
                $"TsneMethod.Exact");
        if (method == TsneMethod.BarnesHut && c > 3)
            throw new ArgumentException($"Barnes-Hut t-SNE works in at most 3 components (quadtree/octree), got {c}; " +
                $"use TsneMethod.Exact");

        var flat = Points.Flatten(x);
        var p = method == TsneMethod.Exact
            ? JointProbabilities.Exact(flat, n, d, options.Perplexity)
            : JointProbabilities.NearestNeighbors(flat, n, d, options.Perplexity);
        var initial = Initial(x, options);
        return Optimize(p, initial, options, method);
    }

    private static void Validate(TsneOptions o, int n)
    {
        if (n < 2) throw new ArgumentException($"t-SNE needs at least 2 points, got {n}");
        if (!(o.Perplexity > 0)) throw new ArgumentException($"perplexity must be positive, got {o.Perplexity}");
        if (o.Perplexity >= n)
            throw new ArgumentException($"perplexity ({o.Perplexity}) must be less than the number of points ({n})");
        if (o.Components < 1) throw new ArgumentException($"components must be at least 1, got {o.Components}");
        if (!(o.EarlyExaggeration >= 1))
            throw new ArgumentException($"early exaggeration must be at least 1, got {o.EarlyExaggeration}");
        if (o.LearningRate is { } lr && !(lr > 0))
            throw new ArgumentException($"learning rate must be positive, got {lr}");
        if (o.Iterations < ExplorationIterations)
            throw new ArgumentException($"iterations must be at least {ExplorationIterations}, got {o.Iterations}");
        if (o.IterationsWithoutProgress < 1)
            throw new ArgumentException($"iterations without progress must be at least 1, got " +
                $"{o.IterationsWithoutProgress}");
        if (!(o.MinGradNorm >= 0))
            throw new ArgumentException($"min gradient norm must be non-negative, got {o.MinGradNorm}");
        if (!(o.Angle >= 0 && o.Angle <= 1)) throw new ArgumentException($"angle must be in [0, 1], got {o.Angle}");
    }

    /// <summary>The starting embedding, row-major [n, components].</summary>
    private static double[] Initial(double[,] x, TsneOptions o)
    {
        int n = x.GetLength(0), c = o.Components;
        if (o.InitialEmbedding is { } given)
        {
            if (given.GetLength(0) != n || given.GetLength(1) != c)
                throw new ArgumentException($"initial embedding is {given.GetLength(0)} x {given.GetLength(1)}, " +
                    $"expected {n} x {c}");
            Points.Check(given, "initial embedding");
            return Points.Flatten(given);
        }
        var y = new double[n * c];
        if (o.Init == TsneInit.Random)
        {
            var rng = new Randomness.SeededRandom(o.Seed, "t-sne/start");
            for (int m = 0; m < y.Length; m++) y[m] = 1e-4 * rng.NextGaussian();
            return y;
        }
        if (c > Math.Min(n, x.GetLength(1)))
            throw new ArgumentException($"PCA initialisation needs components <= min(points, dimensions) = " +
                $"{Math.Min(n, x.GetLength(1))}, got {c}; use TsneInit.Random");
        var projected = Pca.Fit(x, c).Transform(x);
        double mean = 0, variance = 0;
        for (int i = 0; i < n; i++) mean += projected[i, 0];
        mean /= n;
        for (int i = 0; i < n; i++) variance += (projected[i, 0] - mean) * (projected[i, 0] - mean);
        double std = Math.Sqrt(variance / n);
        if (!(std > 0))
            throw new ArgumentException("PCA initialisation: the points have no variance (all rows are equal)");
        for (int i = 0; i < n; i++) for (int k = 0; k < c; k++) y[i * c + k] = projected[i, k] / std * 1e-4;
        return y;
    }

    /// <summary>The two optimisation stages on a given P from a given start (row-major [n, components]).</summary>
    internal static Tsne Optimize(JointProbabilities p, double[] initial, TsneOptions o, TsneMethod method)
    {
        int n = p.Count, c = o.Components;
        double dof = Math.Max(c - 1, 1);
        double learningRate = o.LearningRate ?? Math.Max(n / o.EarlyExaggeration / 4, 50);
        ITsneObjective objective = o.Device is { } device
            ? new TsneTensorObjective(p, c, dof, device)
            : new TsneGradient(p, c, dof, method == TsneMethod.BarnesHut ? o.Angle : double.NaN);
        try
        {
            var y = (double[])initial.Clone();
            objective.SetExaggeration(o.EarlyExaggeration);
            var (_, last) = GradientDescent(objective, y, 0, ExplorationIterations, 0.5, learningRate,
                ExplorationIterations, o.MinGradNorm);
            objective.SetExaggeration(1);
            var (kl, final) = GradientDescent(objective, y, last + 1, o.Iterations, 0.8, learningRate,
                o.IterationsWithoutProgress, o.MinGradNorm);
            // no second stage
            if (last + 1 >= o.Iterations)
                (kl, final) = (objective.Evaluate(y, new double[y.Length], computeError: true), last);
            return new Tsne(Points.Unflatten(y, n, c), kl, final, method, learningRate);
        }
        finally
        {
            (objective as IDisposable)?.Dispose();
        }
    }

    /// <summary>
    /// scikit-learn's <c>_gradient_descent</c>: iterations first .. end - 1 on <paramref name="y"/> in place, with
    /// fresh gains and update; the KL divergence is computed every 50 iterations and at the last.
    /// Returns the last KL divergence computed and the index of the last iteration.
    /// </summary>
    internal static (double kl, int last) GradientDescent(ITsneObjective objective, double[] y, int first, int end,
        double momentum,
        double learningRate, int iterationsWithoutProgress, double minGradNorm)
    {
        const double minGain = 0.01;
        int size = y.Length;
        var update = new double[size];
        var gains = new double[size];
        Array.Fill(gains, 1.0);
        var grad = new double[size];
        double error = double.MaxValue, bestError = double.MaxValue;
        int bestIteration = first, i = first;
        for (i = first; i < end; i++)
        {
            bool check = (i + 1) % CheckEvery == 0;
            error = objective.Evaluate(y, grad, check || i == end - 1);
            double norm2 = 0;
            for (int m = 0; m < size; m++)
            {
                double g = grad[m];
                gains[m] = update[m] * g < 0 ? gains[m] + 0.2 : gains[m] * 0.8;
                if (gains[m] < minGain) gains[m] = minGain;
                g *= gains[m];
                norm2 += g * g;
                update[m] = momentum * update[m] - learningRate * g;
                y[m] += update[m];
            }
            if (!check) continue;
            if (error < bestError) { bestError = error; bestIteration = i; }
            else if (i - bestIteration > iterationsWithoutProgress) break;
            if (Math.Sqrt(norm2) <= minGradNorm) break;
        }
        return (error, Math.Min(i, end - 1));
    }
}

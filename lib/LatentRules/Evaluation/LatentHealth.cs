using LatentRules.Randomness;

namespace LatentRules.Evaluation;

/// <summary>
/// How much of the latent space a trained VAE uses, from the posterior means and log-variances [N, d] of a
/// dataset:
/// <list type="bullet">
/// <item>KL per dimension: the data mean of KL(q(z_k|x) || N(0, 1));</item>
/// <item>active units (Burda et al., 2016): dimensions whose posterior mean varies over the data by more than
///   <see cref="ActiveThreshold"/> (variance, population form);</item>
/// <item>mutual information I(x; z) under the aggregate posterior, estimated as in He et al. (2019):
///   E_x[-H(q(z|x))] - E[log q(z)], with one z drawn from each q(z|x_i) and
///   log q(z) = logsumexp_j log q(z | x_j) - log N.</item>
/// </list>
/// A collapse warning is raised when no unit is active or the total KL is below <see cref="CollapseKl"/> nats.
/// </summary>
public sealed record LatentHealth(
    double[] KlPerDimension,      // [d] mean KL of each dimension, nats
    double TotalKl,               // sum of KlPerDimension
    double[] MeanVariance,        // [d] variance over the data of each dimension's posterior mean
    int ActiveUnits,              // dimensions with MeanVariance > ActiveThreshold
    double MutualInformation,     // nats
    string? Warning)              // posterior-collapse warning, or null
{
    public const double ActiveThreshold = 0.01;
    public const double CollapseKl = 0.1;

    /// <summary>Computes every measure; the MI samples come from a seeded generator.</summary>
    public static LatentHealth Of(double[,] mu, double[,] logvar, int seed = 0)
    {
        int n = mu.GetLength(0), d = mu.GetLength(1);
        var rng = new SeededRandom(seed, "latent-health/mi-samples");
        var eps = new double[n, d];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < d; k++) eps[i, k] = rng.NextGaussian();
        return Of(mu, logvar, eps);
    }

    /// <summary>Computes every measure with the given standard-normal noise [N, d] for the MI samples.</summary>
    public static LatentHealth Of(double[,] mu, double[,] logvar, double[,] eps)
    {
        Check(mu, logvar, eps);
        int n = mu.GetLength(0), d = mu.GetLength(1);
        var kl = new double[d];
        var mean = new double[d];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < d; k++)
            {
                kl[k] += 0.5 * (mu[i, k] * mu[i, k] + Math.Exp(logvar[i, k]) - 1 - logvar[i, k]) / n;
                mean[k] += mu[i, k] / n;
            }
        var variance = new double[d];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < d; k++) variance[k] += (mu[i, k] - mean[k]) * (mu[i, k] - mean[k]) / n;
        int active = variance.Count(v => v > ActiveThreshold);
        double mi = EstimateMutualInformation(mu, logvar, eps);
        double total = kl.Sum();
        string? warning = active == 0 || total < CollapseKl
            ? $"posterior collapse: {active} of {d} units active, total KL {total:F4} nats; the decoder ignores z " +
                $"(try a smaller beta, a KL warm-up, free bits or a cyclical schedule)"
            : null;
        return new LatentHealth(kl, total, variance, active, mi, warning);
    }

    private static double EstimateMutualInformation(double[,] mu, double[,] logvar, double[,] eps)
    {
        int n = mu.GetLength(0), d = mu.GetLength(1);
        double log2Pi = Math.Log(2 * Math.PI);
        double negEntropy = 0;                         // E_x[-H(q(z|x))] = E_x[-d/2 log 2pi - 1/2 sum (1 + logvar)]
        for (int i = 0; i < n; i++)
        {
            double s = 0;
            for (int k = 0; k < d; k++) s += 1 + logvar[i, k];
            negEntropy += (-0.5 * d * log2Pi - 0.5 * s) / n;
        }
        double logQz = 0;                              // mean over samples of log q(z_i)
        var logDensity = new double[n];
        for (int i = 0; i < n; i++)
        {
            var z = new double[d];
            for (int k = 0; k < d; k++) z[k] = mu[i, k] + Math.Exp(0.5 * logvar[i, k]) * eps[i, k];
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int k = 0; k < d; k++)
                {
                    double diff = z[k] - mu[j, k];
                    s += diff * diff * Math.Exp(-logvar[j, k]) + logvar[j, k];
                }
                logDensity[j] = -0.5 * (s + d * log2Pi);
            }
            double max = logDensity.Max();
            logQz += (max + Math.Log(logDensity.Sum(v => Math.Exp(v - max))) - Math.Log(n)) / n;
        }
        return negEntropy - logQz;
    }

    private static void Check(double[,] mu, double[,] logvar, double[,] eps)
    {
        if (mu.GetLength(0) < 2)
            throw new ArgumentException($"latent health needs at least 2 examples, got {mu.GetLength(0)}");
        if (mu.GetLength(0) != logvar.GetLength(0) || mu.GetLength(1) != logvar.GetLength(1))
            throw new ArgumentException($"mu is [{mu.GetLength(0)}, {mu.GetLength(1)}] but logvar is " +
                $"[{logvar.GetLength(0)}, {logvar.GetLength(1)}]");
        if (eps.GetLength(0) != mu.GetLength(0) || eps.GetLength(1) != mu.GetLength(1))
            throw new ArgumentException($"noise is [{eps.GetLength(0)}, {eps.GetLength(1)}] but mu is " +
                $"[{mu.GetLength(0)}, {mu.GetLength(1)}]");
        foreach (var (name, a) in new[] { ("mu", mu), ("logvar", logvar) })
            for (int i = 0; i < a.GetLength(0); i++)
                for (int k = 0; k < a.GetLength(1); k++)
                    if (!double.IsFinite(a[i, k]))
                        throw new ArgumentException($"{name}[{i}, {k}] is {a[i, k]}: the latents hold NaN or infinity");
    }
}

namespace LatentRules.Experiments;

/// <summary>
/// Mean, sample standard deviation and the 95% Student-t interval of one number measured once per seed:
/// mean +- t(0.975, n - 1) * sd / sqrt(n). A t-interval rather than a bootstrap because there are few seeds (a
/// bootstrap over 3 values has only 10 distinct resamples and is too narrow). With one seed the sd and the interval are
/// NaN.
/// </summary>
public sealed record SeedInterval(
    int Seeds,      // values (one per seed)
    double Mean,    // their mean
    double Sd,      // sample standard deviation (n - 1); NaN for one seed
    double Low,     // lower end of the 95% t-interval; NaN for one seed
    double High)    // upper end
{
    public static SeedInterval Of(IReadOnlyList<double> values)
    {
        if (values.Count == 0) throw new ArgumentException("an interval needs at least one value");
        int n = values.Count;
        double mean = values.Average();
        if (n == 1) return new SeedInterval(1, mean, double.NaN, double.NaN, double.NaN);
        double sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (n - 1));
        double half = StudentT.Quantile(0.975, n - 1) * sd / Math.Sqrt(n);
        return new SeedInterval(n, mean, sd, mean - half, mean + half);
    }
}

/// <summary>
/// Quantiles of Student's t distribution with whole degrees of freedom (for <see cref="SeedInterval"/>).
/// </summary>
public static class StudentT
{
    /// <summary>The t with P(T &lt;= t) = p, for 0.5 &lt;= p &lt; 1: bisection on the CDF.</summary>
    public static double Quantile(double p, int degrees)
    {
        if (degrees < 1) throw new ArgumentException($"degrees of freedom must be at least 1, got {degrees}");
        if (p < 0.5 || p >= 1) throw new ArgumentException($"p must be in [0.5, 1), got {p}");
        double low = 0, high = 1;
        while (Cdf(high, degrees) < p) high *= 2;
        for (int i = 0; i < 100 && high - low > 1e-12 * high; i++)
        {
            double mid = (low + high) / 2;
            if (Cdf(mid, degrees) < p) low = mid; else high = mid;
        }
        return (low + high) / 2;
    }

    /// <summary>P(T &lt;= t) for t &gt;= 0: 1/2 plus the density integrated over [0, t] by Simpson's rule.</summary>
    public static double Cdf(double t, int degrees)
    {
        // even; smooth integrand, error far below 1e-10
        const int intervals = 4000;
        double h = t / intervals, sum = Density(0, degrees) + Density(t, degrees);
        for (int i = 1; i < intervals; i++) sum += (i % 2 == 1 ? 4 : 2) * Density(i * h, degrees);
        return 0.5 + sum * h / 3;
    }

    private static double Density(double t, int v) =>
        Math.Exp(LogGamma((v + 1) / 2.0) - LogGamma(v / 2.0) - 0.5 * Math.Log(v * Math.PI)
            - (v + 1) / 2.0 * Math.Log(1 + t * t / v));

    /// <summary>
    /// log Gamma(x) for x a positive multiple of 1/2 (all the t density needs): Gamma(x) = (x - 1) Gamma(x - 1).
    /// </summary>
    private static double LogGamma(double x) =>
        x == 1 ? 0 : x == 0.5 ? 0.5 * Math.Log(Math.PI) : Math.Log(x - 1) + LogGamma(x - 1);
}

namespace LatentRules.Experiments;

/// <summary>
/// The exact one-sided sign-flip test of "the per-seed values are centred above 0": under the null each value's sign is
/// equally likely, so the p-value is the share of all 2^n sign assignments whose mean is at least the observed mean
/// (the observed assignment included). It assumes only symmetry, not normality; its smallest p is 1 / 2^n, so 3 seeds
/// can never reach 0.05 and 5 seeds reach 0.031 only when all are positive.
/// </summary>
public static class SignFlipTest
{
    public const int MaxValues = 24;    // 2^24 assignments; more seeds than this are not run here

    public static double PValue(IReadOnlyList<double> values)
    {
        int n = values.Count;
        if (n == 0) throw new ArgumentException("a sign-flip test needs at least one value");
        if (n > MaxValues) throw new ArgumentException($"a sign-flip test over {n} values: at most {MaxValues}");
        if (values.Any(v => !double.IsFinite(v))) throw new ArgumentException("a sign-flip test needs finite values");
        double observed = values.Sum();
        double tie = 1e-12 * Math.Max(1, values.Sum(Math.Abs));
        long atLeast = 0, total = 1L << n;
        for (long mask = 0; mask < total; mask++)
        {
            double sum = 0;
            for (int i = 0; i < n; i++) sum += (mask >> i & 1) == 1 ? -values[i] : values[i];
            if (sum >= observed - tie) atLeast++;
        }
        return (double)atLeast / total;
    }
}

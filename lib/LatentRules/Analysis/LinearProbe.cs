namespace LatentRules.Analysis;

/// <summary>
/// A linear probe: multinomial logistic regression with scikit-learn's objective (C times the summed
/// cross-entropy plus half the squared weights; the intercept is not penalised), minimised to convergence by
/// gradient descent with Nesterov momentum and backtracking. The objective is strictly convex, so the
/// solution is scikit-learn's.
/// </summary>
public sealed class LinearProbe
{
    public double[,] Weights { get; }      // [classes, dims]
    public double[] Intercepts { get; }    // [classes]
    public int[] Classes { get; }          // label value of each row of Weights

    private LinearProbe(double[,] w, double[] b, int[] classes) { Weights = w; Intercepts = b; Classes = classes; }

    public static LinearProbe Fit(double[,] x, IReadOnlyList<int> labels, double c = 1.0, int maxIterations = 50_000,
        double tolerance = 1e-9)
    {
        Points.Check(x);
        int n = x.GetLength(0), d = x.GetLength(1);
        Points.CheckLabels(n, labels);
        if (c <= 0) throw new ArgumentException($"C must be positive, got {c}");
        var classes = labels.Distinct().OrderBy(l => l).ToArray();
        int k = classes.Length;
        var y = labels.Select(l => Array.IndexOf(classes, l)).ToArray();
        int size = k * (d + 1);                                        // per class: d weights, then the intercept
        var theta = new double[size];
        var grad = new double[size];

        double Objective(double[] t, double[]? g)
        {
            if (g is not null) Array.Clear(g);
            double loss = 0;
            var logits = new double[k];
            for (int i = 0; i < n; i++)
            {
                double max = double.NegativeInfinity;
                for (int a = 0; a < k; a++)
                {
                    double z = t[a * (d + 1) + d];
                    for (int j = 0; j < d; j++) z += t[a * (d + 1) + j] * x[i, j];
                    logits[a] = z;
                    max = Math.Max(max, z);
                }
                double sum = 0;
                for (int a = 0; a < k; a++) sum += Math.Exp(logits[a] - max);
                double logSum = max + Math.Log(sum);
                loss += c * (logSum - logits[y[i]]);
                if (g is null) continue;
                for (int a = 0; a < k; a++)
                {
                    double p = Math.Exp(logits[a] - logSum) - (a == y[i] ? 1 : 0);
                    for (int j = 0; j < d; j++) g[a * (d + 1) + j] += c * p * x[i, j];
                    g[a * (d + 1) + d] += c * p;
                }
            }
            for (int a = 0; a < k; a++)
                for (int j = 0; j < d; j++)
                {
                    double w = t[a * (d + 1) + j];
                    loss += 0.5 * w * w;
                    if (g is not null) g[a * (d + 1) + j] += w;
                }
            return loss;
        }

        // Accelerated gradient descent with backtracking on the step (restarting momentum when the objective rises).
        var previous = (double[])theta.Clone();
        var look = new double[size];
        double step = 1.0, f = Objective(theta, null), momentum = 0;
        for (int it = 0; it < maxIterations; it++)
        {
            for (int p = 0; p < size; p++) look[p] = theta[p] + momentum * (theta[p] - previous[p]);
            double fl = Objective(look, grad);
            double g2 = grad.Sum(v => v * v);
            if (g2 < tolerance * tolerance) { Array.Copy(look, theta, size); break; }
            double[] candidate;
            double fc;
            while (true)
            {
                candidate = look.Select((v, p) => v - step * grad[p]).ToArray();
                fc = Objective(candidate, null);
                if (fc <= fl - 0.5 * step * g2 || step < 1e-12) break;
                step *= 0.5;
            }
            Array.Copy(theta, previous, size);
            if (fc > f) { momentum = 0; Array.Copy(theta, previous, size); }    // restart
            else momentum = Math.Min(momentum + 0.1, 0.9);
            Array.Copy(candidate, theta, size);
            f = fc;
            step *= 1.5;
        }
        var weights = new double[k, d];
        var intercepts = new double[k];
        for (int a = 0; a < k; a++)
        {
            for (int j = 0; j < d; j++) weights[a, j] = theta[a * (d + 1) + j];
            intercepts[a] = theta[a * (d + 1) + d];
        }
        return new LinearProbe(weights, intercepts, classes);
    }

    public int[] Predict(double[,] x)
    {
        int n = x.GetLength(0), d = Weights.GetLength(1), k = Classes.Length;
        if (x.GetLength(1) != d)
            throw new ArgumentException($"points have {x.GetLength(1)} dimensions, the probe was fitted on {d}");
        var result = new int[n];
        for (int i = 0; i < n; i++)
        {
            int best = 0;
            double bestScore = double.NegativeInfinity;
            for (int a = 0; a < k; a++)
            {
                double s = Intercepts[a];
                for (int j = 0; j < d; j++) s += Weights[a, j] * x[i, j];
                if (s > bestScore) { bestScore = s; best = a; }
            }
            result[i] = Classes[best];
        }
        return result;
    }

    /// <summary>Fraction of <paramref name="labels"/> predicted correctly.</summary>
    public double Accuracy(double[,] x, IReadOnlyList<int> labels)
    {
        var predicted = Predict(x);
        if (labels.Count != predicted.Length)
            throw new ArgumentException($"{labels.Count} labels for {predicted.Length} points");
        return predicted.Where((p, i) => p == labels[i]).Count() / (double)predicted.Length;
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using LatentRules.Data;
using LatentRules.Data.Mathematics;
using LatentRules.Evaluation;
using LatentRules.Tests.Support;

namespace LatentRules.Tests.Evaluation;

public sealed class EvaluationTests
{
    [Fact]
    public void BleuMatchesHandComputation()
    {
        Assert.Equal(1.0, Bleu.Corpus(new[] { "the cat sat on the mat" }, new[] { "the cat sat on the mat" }), 12);
        // p1 = 5/5, p2 = 3/4, p3 = 2/3, p4 = 1/2; c = 5 < r = 6 gives the brevity penalty exp(1 - 6/5).
        double expected = Math.Pow(1.0 * 0.75 * (2.0 / 3) * 0.5, 0.25) * Math.Exp(-0.2);
        Assert.Equal(expected, Bleu.Corpus(new[] { "the cat sat on the mat" }, new[] { "the cat sat on mat" }), 12);
        // Clipping: "the the the the" matches "the" at most twice; no 2-gram matches, so BLEU is 0.
        Assert.Equal(0.0, Bleu.Corpus(new[] { "the cat the mat" }, new[] { "the the the the" }));
        Assert.Contains("one reference per hypothesis",
            Assert.Throws<ArgumentException>(() => Bleu.Corpus(new[] { "a" }, new string[0])).Message);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void BleuMatchesNltkOnRandomCorpora()
    {
        var rng = new Random(4);
        string[] words = { "x", "y", "+", "-", "\\frac{1}{x}", "2", "e^{x}", "\\log{(y)}" };
        var refs = new List<string>();
        var hyps = new List<string>();
        for (int i = 0; i < 60; i++)
        {
            // Hypotheses of 4+ words: for shorter ones nltk counts a denominator of 1 where the standard definition
            // (Papineni et al.; sacrebleu) counts no n-grams, so the two differ by design there.
            var r = Enumerable.Range(0, 6 + rng.Next(8)).Select(_ => words[rng.Next(words.Length)]).ToList();
            var h = r.Select(w => rng.Next(5) == 0 ? words[rng.Next(words.Length)] : w).Take(r.Count - rng.Next(3))
                .ToList();
            refs.Add(string.Join(' ', r));
            hyps.Add(string.Join(' ', h));
        }
        string script = $"""
            import json
            from nltk.translate.bleu_score import corpus_bleu
            refs = json.loads({JsonSerializer.Serialize(JsonSerializer.Serialize(refs))})
            hyps = json.loads({JsonSerializer.Serialize(JsonSerializer.Serialize(hyps))})
            print(repr(corpus_bleu([[r.split()] for r in refs], [h.split() for h in hyps])))
            """;
        double reference = PythonReference.Numbers(PythonReference.Run(script))[0];
        Assert.InRange(reference, 0.2, 0.95);   // a corpus where every order matches somewhere
        Assert.Equal(reference, Bleu.Corpus(refs, hyps), 12);
    }

    [Fact]
    public void LatentHealthMatchesAnIndependentNumpyComputation()
    {
        var rng = new Random(9);
        int n = 40, d = 5;
        var mu = new double[n, d]; var logvar = new double[n, d]; var eps = new double[n, d];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < d; k++)
            {
                mu[i, k] = k < 3 ? rng.NextDouble() * 2 - 1 : 0.01 * rng.NextDouble();   // dims 3, 4 inactive
                logvar[i, k] = -2 * rng.NextDouble();
                eps[i, k] = rng.NextDouble() * 2 - 1;
            }
        var health = LatentHealth.Of(mu, logvar, eps);
        string Matrix(double[,] a) => "[" + string.Join(",", Enumerable.Range(0, n).Select(i =>
            "[" + string.Join(",", Enumerable.Range(0, d)
                .Select(k => a[i, k].ToString("R", CultureInfo.InvariantCulture))) + "]")) + "]";
        string script = $"""
            import numpy as np
            from scipy.special import logsumexp
            mu = np.array({Matrix(mu)}); lv = np.array({Matrix(logvar)}); eps = np.array({Matrix(eps)})
            n, d = mu.shape
            kl = (0.5 * (mu**2 + np.exp(lv) - 1 - lv)).mean(0)
            var = mu.var(0)
            z = mu + np.exp(0.5 * lv) * eps
            neg_h = (-0.5 * d * np.log(2 * np.pi) - 0.5 * (1 + lv).sum(1)).mean()
            dens = -0.5 * ((((z[:, None, :] - mu[None]) ** 2) / np.exp(lv)[None]).sum(2) + lv.sum(1)[None]
                           + d * np.log(2 * np.pi))
            mi = neg_h - (logsumexp(dens, axis=1) - np.log(n)).mean()
            print(' '.join(repr(float(v)) for v in list(kl) + list(var) + [mi]))
            """;
        var r = PythonReference.Numbers(PythonReference.Run(script));
        for (int k = 0; k < d; k++)
        {
            Assert.Equal(r[k], health.KlPerDimension[k], 12);
            Assert.Equal(r[d + k], health.MeanVariance[k], 12);
        }
        Assert.Equal(r[2 * d], health.MutualInformation, 10);
        Assert.Equal(3, health.ActiveUnits);
        Assert.Null(health.Warning);
    }

    [Fact]
    public void CollapsedPosteriorsWarnAndBadLatentsAreRefused()
    {
        var mu = new double[4000, 3];    // every posterior is the prior: no information in z
        var logvar = new double[4000, 3];
        var health = LatentHealth.Of(mu, logvar, seed: 1);
        Assert.Equal(0, health.ActiveUnits);
        Assert.Equal(0, health.TotalKl, 12);
        // q(z|x) = q(z) for every x: the estimate is (mean |z|^2 - d) / 2, zero up to sampling noise (sd 0.02 here).
        Assert.InRange(health.MutualInformation, -0.08, 0.08);
        Assert.Contains("posterior collapse: 0 of 3 units active", health.Warning);
        mu = new double[10, 3];
        logvar = new double[10, 3];
        mu[4, 2] = double.NaN;
        Assert.Contains("mu[4, 2] is NaN", Assert.Throws<ArgumentException>(() => LatentHealth.Of(mu, logvar)).Message);
        Assert.Contains("logvar is [10, 2]",
            Assert.Throws<ArgumentException>(() => LatentHealth.Of(new double[10, 3], new double[10, 2])).Message);
    }

    [Fact]
    public void GenerationScoresCountARightDerivativePrintedDifferentlyAsVerified()
    {
        var task = new MathTask();
        ReasoningExample Example(string id, string premise, string conclusion) =>
            new(id, "math", "differentiation", new[] { premise }, conclusion,
                new Dictionary<string, string> { ["variable"] = "x" });
        var examples = new[] { Example("a", "\\sin{(x)}^{2}", "2 \\sin{(x)} \\cos{(x)}"),
            Example("b", "x^{3}", "3 x^{2}"), Example("c", "x y", "y") };
        var generated = new[] { "\\sin{(2 x)}", "3 x^{2}", "x" };
        var s = GenerationScores.Of(examples, generated, task);
        Assert.Equal(1.0 / 3, s.ExactMatch, 12);
        Assert.Equal(2.0 / 3, s.Verified, 12);                       // sin(2x) = 2 sin x cos x is right
        Assert.Equal((0 + 1 + 0) / 3.0, s.WordAccuracy, 12);
        Assert.Single(s.Failures);
        Assert.StartsWith("c: x (", s.Failures[0]);
    }
}

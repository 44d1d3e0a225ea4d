using LatentRules.Analysis.ParameterSpace;
using LatentRules.Models.Bert;
using LatentRules.Models.Qwen2;
using LatentRules.Models.Vae;
using LatentRules.Randomness;
using LatentRules.Tests.Support;
using static TorchSharp.torch;

namespace LatentRules.Tests.Analysis;

[Collection("torch")]
public sealed class PermutationNullTests
{
    private static readonly int[] Balanced = Enumerable.Range(0, 16).Select(i => i % 2).ToArray();

    private static double[,] Cosine(double[,] rows)
    {
        using var kernel = TangentKernel.FromGradients(
            tensor(rows.Cast<double>().ToArray(), new long[] { rows.GetLength(0), rows.GetLength(1) }), Balanced);
        return kernel.Gram(normalized: true);
    }

    private static double[,] Gaussian(SeededRandom rng, int n, int p, Func<int, int, double>? shift = null)
    {
        var rows = new double[n, p];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < p; j++)
            {
                double u1 = 1 - rng.NextDouble(), u2 = rng.NextDouble();   // Box-Muller
                rows[i, j] = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2) + (shift?.Invoke(i, j) ?? 0);
            }
        return rows;
    }

    [Fact]
    public void PValueIsUniformWithoutRuleStructureAndSmallWithIt()
    {
        var rng = new SeededRandom(5, "null-draws");
        var p = Enumerable.Range(0, 200)
            .Select(d => PermutationNull.Of(Cosine(Gaussian(rng, 16, 30)), Balanced, permutations: 199, seed: d).PValue)
            .ToList();
        // Under the null P(p <= 0.05) = 0.05: 10 of 200 expected, binomial sd 3.1; three sd either side.
        int below = p.Count(x => x <= 0.05);
        Assert.InRange(below, 1, 19);
        Assert.InRange(p.Average(), 0.5 - 0.07, 0.5 + 0.07);               // mean of 200 uniforms: sd 0.02
        Assert.All(p, x => Assert.InRange(x, 1 / 200.0, 1));

        // Each rule shifted along its own direction: every permutation gap is below the observed one.
        var structured = Gaussian(rng, 16, 30, (i, j) => j == Balanced[i] ? 4 : 0);
        var strong = PermutationNull.Of(Cosine(structured), Balanced, permutations: 199, seed: 1);
        Assert.Equal(1 / 200.0, strong.PValue, 12);
        Assert.True(strong.Observed > 0.1 && Math.Abs(strong.NullMean) < 0.05,
            $"observed {strong.Observed}, null mean {strong.NullMean}");
    }

    [Fact]
    public void NullIsSeededAndPoolsRuns()
    {
        var rng = new SeededRandom(9);
        var a = Cosine(Gaussian(rng, 16, 20));
        var b = Cosine(Gaussian(rng, 16, 20));
        Assert.Equal(PermutationNull.Of(a, Balanced, 50, seed: 3).Gaps,
            PermutationNull.Of(a, Balanced, 50, seed: 3).Gaps);
        Assert.NotEqual(PermutationNull.Of(a, Balanced, 50, seed: 3).Gaps,
            PermutationNull.Of(a, Balanced, 50, seed: 4).Gaps);
        var pooled = PermutationNull.OfMean(new[] { (a, (IReadOnlyList<int>)Balanced), (b, Balanced) }, 50);
        var (wa, xa) = RuleSeparation.WithinAcross(a, Balanced);
        var (wb, xb) = RuleSeparation.WithinAcross(b, Balanced);
        Assert.Equal(((wa - xa) + (wb - xb)) / 2, pooled.Observed, 12);
        Assert.Contains("at least 1",
            Assert.Throws<ArgumentException>(() => PermutationNull.Of(a, Balanced, 0)).Message);
    }

    [Fact]
    public void UntrainedEncoderOnLabelFreeInputsIsNotBeyondItsNull()
    {
        // Control: an untrained encoder whose inputs do not depend on the label (random tokens, labels alternate) must
        // not separate the "rules" beyond the permutation null, in FFN or attention, with the same-function output.
        var p = new List<double>();
        for (int draw = 0; draw < 6; draw++)
        {
            manual_seed(draw);
            using var vae = new LanguageVae(
                TinyVae.Sized(vocab: 30, hidden: 16, encoderLayers: 2, heads: 2, intermediate: 24, kvHeads: 1) with
                {
                    LatentSize = 4,
                    RuleCount = 2,
                });
            var rng = new SeededRandom(draw, "tokens");
            var sample = Balanced.Select(rule => VaeSequence.Autoencode(Enumerable.Range(0, 3 + rng.Next(5))
                .Select(_ => 1 + rng.Next(29)).ToArray(), rule)).ToList();
            var report =
                SeparationReport.Of(vae, sample, KernelOutput.MeanJacobian, only: g => g is "ffn" or "attention");
            p.AddRange(report.Groups.Select(g => PermutationNull.Of(g.Cosine, Balanced, 199, draw).PValue));
        }
        Assert.True(p.Count(x => x < 0.05) <= 3, $"p-values {string.Join(", ", p.Select(x => x.ToString("F3")))}");
        Assert.True(p.Average() > 0.25, $"mean p {p.Average():F3}");
    }
}

using LatentRules.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace LatentRules.Tests.Torch;

/// <summary>
/// Compares autograd gradients with central finite differences in float64: for a random projection
/// w, the gradient of sum(w * f(x)) with respect to every element of every input.
/// </summary>
public static class GradCheck
{
    public static void Check(Func<Tensor[], Tensor> f, Tensor[] inputs, double eps = 1e-6, double tolerance = 1e-6,
        string? name = null)
    {
        using var scope = torch.NewDisposeScope();
        foreach (var x in inputs)
        {
            Assert.Equal(ScalarType.Float64, x.dtype);
            x.requires_grad = true;
        }
        var output = f(inputs);
        torch.manual_seed(1234);
        var w = torch.randn(output.shape, ScalarType.Float64);
        var analytic = LatentRules.Torch.Gradients.grad(new[] { (output * w).sum() }, inputs);

        for (int i = 0; i < inputs.Length; i++)
        {
            var x = inputs[i];
            var values = x.detach().ToArray<double>();
            var expected = analytic[i].ToArray<double>();
            for (int k = 0; k < values.Length; k++)
            {
                double numeric = (Objective(f, inputs, i, values, k, eps, w) -
                    Objective(f, inputs, i, values, k, -eps, w)) / (2 * eps);
                double scale = Math.Max(1, Math.Abs(numeric));
                Assert.True(Math.Abs(numeric - expected[k]) <= tolerance * scale,
                    $"{name ?? "op"}: input {i} element {k}: autograd {expected[k]:R} vs finite " +
                    $"difference {numeric:R}");
            }
        }
    }

    private static double Objective(Func<Tensor[], Tensor> f, Tensor[] inputs, int which, double[] values, int k,
        double delta, Tensor w)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var shifted = (double[])values.Clone();
        shifted[k] += delta;
        var args = inputs.Select((t, j) => j == which ? torch.tensor(shifted, t.shape) : t.detach()).ToArray();
        return (f(args) * w).sum().ToDouble();
    }

    /// <summary>A float64 tensor of the given shape with values drawn from a seeded normal.</summary>
    public static Tensor Randn(long seed, params long[] shape)
    {
        torch.manual_seed(seed);
        return torch.randn(shape, ScalarType.Float64);
    }
}

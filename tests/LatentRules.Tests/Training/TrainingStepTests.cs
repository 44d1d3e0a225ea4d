using System.Globalization;
using LatentRules.Tests.Support;
using LatentRules.Tests.Torch;
using LatentRules.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LatentRules.Tests.Training;

/// <summary>The trainer's update: TorchSharp's AdamW and clip_grad_norm_ (its schedule: VaeTrainerTests).</summary>
[Collection("torch")]
public sealed class TrainingStepTests
{
    // Loss = sum((W x - y)^2) + sum(b^2) on fixed data; W and b start at fixed values.
    private static readonly double[] W0 = { 0.5, -0.3, 0.8, 0.1, -0.7, 0.2 };
    private static readonly double[] B0 = { 0.3, -0.4 };
    private static readonly double[] X = { 1.0, 2.0, -1.0 };
    private static readonly double[] Y = { 0.5, -1.5 };

    private static string Py(double[] v) =>
        "[" + string.Join(", ", v.Select(d => d.ToString("R", CultureInfo.InvariantCulture))) + "]";

    [Trait("Category", "Slow")]
    [Fact]
    public void AdamWWithClippingFollowsPyTorchsTrajectory()
    {
        const int steps = 7;
        var expected = PythonReference.Numbers(PythonReference.Run($$"""
            import torch
            f = lambda v: torch.tensor(v, dtype=torch.float64)
            W = f({{Py(W0)}}).reshape(2, 3).requires_grad_()
            b = f({{Py(B0)}}).requires_grad_()
            x = f({{Py(X)}}); y = f({{Py(Y)}})
            opt = torch.optim.AdamW([W, b], lr=0.05, betas=(0.8, 0.95), eps=1e-6, weight_decay=0.1)
            norms = []
            for _ in range({{steps}}):
                opt.zero_grad()
                (((W @ x - y) ** 2).sum() + (b ** 2).sum()).backward()
                norms.append(float(torch.nn.utils.clip_grad_norm_([W, b], 0.5)))
                opt.step()
            print(' '.join(repr(v) for v in W.detach().flatten().tolist() + b.detach().tolist() + norms))
            """));

        using var scope = NewDisposeScope();
        var W = new Parameter(tensor(W0, new long[] { 2, 3 }));
        var b = new Parameter(tensor(B0));
        var (x, y) = (tensor(X), tensor(Y));
        using var opt = optim.AdamW(new[] { W, b }, lr: 0.05, beta1: 0.8, beta2: 0.95, eps: 1e-6, weight_decay: 0.1);
        var norms = new List<double>();
        for (int k = 0; k < steps; k++)
        {
            using var step = NewDisposeScope();
            opt.zero_grad();
            ((Ops.matmul(W, x) - y).pow(2).sum() + b.pow(2).sum()).backward();
            norms.Add(nn.utils.clip_grad_norm_(new[] { W, b }, 0.5));
            opt.step();
        }
        var actual = W.ToArray<double>().Concat(b.ToArray<double>()).Concat(norms).ToArray();
        Assert.Equal(expected, actual, new Tol(1e-12));
        W.Dispose(); b.Dispose();
    }

    [Fact]
    public void ClipGradNormScalesAllGradientsByTheirGlobalNorm()
    {
        using var scope = NewDisposeScope();
        var p = new Parameter(tensor(new double[] { 0, 0 }));
        var q = new Parameter(tensor(new double[] { 0 }));
        ((p * tensor(new double[] { 3, 4 })).sum() + q.sum() * 12).backward();   // grads [3, 4] and [12]: norm 13
        Assert.Equal(13.0, nn.utils.clip_grad_norm_(new[] { p, q }, 1.0), 12);
        Assert.Equal(new[] { 3 / 13.0, 4 / 13.0 }, p.grad!.ToArray<double>(), new Tol(1e-6));
        Assert.Equal(12 / 13.0, q.grad!.ToArray<double>()[0], 6);
        var clipped = p.grad!.ToArray<double>();
        Assert.Equal(1.0, nn.utils.clip_grad_norm_(new[] { p, q }, 100.0), 6);   // under max_norm: left as it is
        Assert.Equal(clipped, p.grad!.ToArray<double>());
        p.Dispose(); q.Dispose();
    }
}

using System.Globalization;
using LatentRules.Tests.Support;
using LatentRules.Torch;
using TorchSharp;
using LatentRules.Torch.Optim;
using static TorchSharp.torch;

namespace LatentRules.Tests.Torch;

/// <summary>Optimiser trajectories against PyTorch's own (python3-torch 1.13) on the same problem.</summary>
[Collection("torch")]
public sealed class OptimTests
{
    // Loss = sum((W x - y)^2) + sum(b^2) on fixed data; W and b start at fixed values.
    private static readonly double[] W0 = { 0.5, -0.3, 0.8, 0.1, -0.7, 0.2 };
    private static readonly double[] B0 = { 0.3, -0.4 };
    private static readonly double[] X = { 1.0, 2.0, -1.0 };
    private static readonly double[] Y = { 0.5, -1.5 };

    private static string PythonTrajectory(string optimizerExpr, int steps, bool clip) => string.Create(CultureInfo.InvariantCulture, $$"""
        import torch
        torch.set_default_dtype(torch.float64)
        f = lambda v: torch.tensor(v, dtype=torch.float64)
        W = f({{Py(W0)}}).reshape(2, 3).requires_grad_()
        b = f({{Py(B0)}}).requires_grad_()
        x = f({{Py(X)}}); y = f({{Py(Y)}})
        opt = {{optimizerExpr}}
        norms = []
        for _ in range({{steps}}):
            opt.zero_grad()
            loss = ((W @ x - y) ** 2).sum() + (b ** 2).sum()
            loss.backward()
            if {{(clip ? "True" : "False")}}:
                norms.append(float(torch.nn.utils.clip_grad_norm_([W, b], 0.5)))
            opt.step()
        print(' '.join(repr(v) for v in W.detach().flatten().tolist() + b.detach().tolist() + norms))
        """);

    private static string Py(double[] v) => "[" + string.Join(", ", v.Select(d => d.ToString("R", CultureInfo.InvariantCulture))) + "]";

    private static double[] CSharpTrajectory(Func<Parameter[], Optimizer> make, int steps, bool clip)
    {
        using var scope = NewDisposeScope();
        var W = new Parameter(tensor(W0, new long[] { 2, 3 }));
        var b = new Parameter(tensor(B0));
        var x = tensor(X);
        var y = tensor(Y);
        using var opt = make(new[] { W, b });
        var norms = new List<double>();
        for (int k = 0; k < steps; k++)
        {
            using var step = NewDisposeScope();
            opt.zero_grad();
            var loss = (W.matmul(x) - y).pow(2).sum() + b.pow(2).sum();
            loss.backward();
            if (clip) norms.Add(ClipGrad.clip_grad_norm_(new[] { W, b }, 0.5));
            opt.step();
        }
        var result = W.ToArray<double>().Concat(b.ToArray<double>()).Concat(norms).ToArray();
        W.Dispose(); b.Dispose();
        return result;
    }

    [Fact]
    public void AdamWMatchesPyTorch()
    {
        var expected = PythonReference.Numbers(PythonReference.Run(PythonTrajectory(
            "torch.optim.AdamW([W, b], lr=0.05, betas=(0.8, 0.95), eps=1e-6, weight_decay=0.1)", 7, clip: false)));
        var actual = CSharpTrajectory(p => new AdamW(p, lr: 0.05, beta1: 0.8, beta2: 0.95, eps: 1e-6, weight_decay: 0.1), 7, clip: false);
        Assert.Equal(expected, actual, new Tol(1e-12));
    }

    [Fact]
    public void AdamWWithParamGroupsMatchesPyTorch()
    {
        var expected = PythonReference.Numbers(PythonReference.Run(PythonTrajectory(
            "torch.optim.AdamW([{'params': [W]}, {'params': [b], 'lr': 0.2, 'weight_decay': 0.0}], lr=0.05)", 5, clip: false)));
        var actual = CSharpTrajectory(p => new AdamW(new[]
        {
            new ParamGroup(new[] { p[0] }), new ParamGroup(new[] { p[1] }, lr: 0.2, weight_decay: 0.0),
        }, lr: 0.05), 5, clip: false);
        Assert.Equal(expected, actual, new Tol(1e-12));
    }

    [Fact]
    public void SgdWithNesterovMomentumAndClippingMatchesPyTorch()
    {
        var expected = PythonReference.Numbers(PythonReference.Run(PythonTrajectory(
            "torch.optim.SGD([W, b], lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01)", 6, clip: true)));
        var actual = CSharpTrajectory(p => new SGD(p, lr: 0.1, momentum: 0.9, nesterov: true, weight_decay: 0.01), 6, clip: true);
        Assert.Equal(expected, actual, new Tol(1e-12));
    }

    [Fact]
    public void StateDictRestoresAnInterruptedRunExactly()
    {
        // 6 uninterrupted steps versus 3 steps, save, fresh optimiser, load, 3 more.
        var straight = CSharpTrajectory(p => new AdamW(p, lr: 0.05), 6, clip: false);
        using var scope = NewDisposeScope();
        var W = new Parameter(tensor(W0, new long[] { 2, 3 }));
        var b = new Parameter(tensor(B0));
        var x = tensor(X);
        var y = tensor(Y);
        void Step(Optimizer opt)
        {
            opt.zero_grad();
            ((W.matmul(x) - y).pow(2).sum() + b.pow(2).sum()).backward();
            opt.step();
        }
        var first = new AdamW(new[] { W, b }, lr: 0.05);
        for (int k = 0; k < 3; k++) Step(first);
        var (tensors, numbers) = first.state_dict();
        first.Dispose();
        var second = new AdamW(new[] { W, b }, lr: 0.05);
        second.load_state_dict(tensors, numbers);
        for (int k = 0; k < 3; k++) Step(second);
        Assert.Equal(straight, W.ToArray<double>().Concat(b.ToArray<double>()).ToArray());
        Assert.Equal(6, second.StepCount);
        second.Dispose();
    }

    [Fact]
    public void SchedulesFollowTheirFormulas()
    {
        using var p = new Parameter(ones(1));
        var opt = new SGD(new[] { p }, lr: 1.0);
        var cosine = new WarmupCosine(opt, warmup_steps: 10, total_steps: 110, min_ratio: 0.1);
        Assert.Equal(0.0, opt.ParamGroups[0].lr);
        for (int k = 0; k < 5; k++) cosine.step();
        Assert.Equal(0.5, cosine.get_last_lr(), 12);
        for (int k = 0; k < 55; k++) cosine.step();         // step 60: halfway through decay
        Assert.Equal(0.1 + 0.9 * 0.5, cosine.get_last_lr(), 12);
        cosine.set_step(110);
        Assert.Equal(0.1, cosine.get_last_lr(), 12);
        var linear = new WarmupLinear(opt, warmup_steps: 0, total_steps: 4);
        linear.step();
        Assert.Equal(0.75, linear.get_last_lr(), 12);
        Assert.Throws<ArgumentException>(() => new WarmupLinear(opt, 5, 4));
    }

    [Fact]
    public void ClipGradNormReturnsTheNormBeforeClipping()
    {
        using var scope = NewDisposeScope();
        var p = new Parameter(tensor(new double[] { 0, 0 }));
        (p * tensor(new double[] { 3, 4 })).sum().backward();      // grad [3, 4], norm 5
        Assert.Equal(5.0, ClipGrad.clip_grad_norm_(new[] { p }, 1.0), 12);
        Assert.Equal(new[] { 0.6, 0.8 }, p.grad!.ToArray<double>(), new Tol(1e-6));
        p.Dispose();
    }
}

using LatentRules.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace LatentRules.Tests.Torch;

[Collection("torch")]
public sealed class AutogradTests
{
    [Fact]
    public void BackwardAccumulatesIntoLeafGradients()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(new double[] { 1, 2, 3 }, requires_grad: true);
        (x * x).sum().backward();                          // d/dx sum x^2 = 2x
        Assert.Equal(new double[] { 2, 4, 6 }, x.grad!.ToArray<double>());
        (x * 3).sum().backward();                          // accumulates + 3
        Assert.Equal(new double[] { 5, 7, 9 }, x.grad!.ToArray<double>());
        x.grad = null;
        Assert.Null(x.grad);
    }

    [Fact]
    public void BackwardWithExplicitGradient()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(new double[] { 1, 2 }, requires_grad: true);
        var y = x.exp();
        y.backward(new[] { torch.tensor(new double[] { 1, 10 }) });
        Assert.Equal(new[] { Math.Exp(1), 10 * Math.Exp(2) }, x.grad!.ToArray<double>(), new Tol(1e-12));
    }

    [Fact]
    public void NoGradDetachAndRequiresGradPropagation()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.ones(new long[] { 2 }, requires_grad: true);
        Assert.True((x * 2).requires_grad);
        Assert.True(x.is_leaf);
        Assert.False((x * 2).is_leaf);
        using (torch.no_grad())
        {
            Assert.False(torch.is_grad_enabled());
            Assert.False((x * 2).requires_grad);
            using (torch.enable_grad()) Assert.True((x * 2).requires_grad);
        }
        Assert.True(torch.is_grad_enabled());
        Assert.False((x * 2).detach().requires_grad);
    }

    [Fact]
    public void RetainGradOnIntermediate()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(new double[] { 1, 2 }, requires_grad: true);
        var h = x * 3;
        h.retain_grad();
        h.square().sum().backward();                       // d/dh = 2h = [6, 12]
        Assert.Equal(new double[] { 6, 12 }, h.grad!.ToArray<double>());
        Assert.Equal(new double[] { 18, 36 }, x.grad!.ToArray<double>());
    }

    [Fact]
    public void AutogradGradLeavesDotGradAlone()
    {
        using var scope = torch.NewDisposeScope();
        var a = torch.tensor(new double[] { 2 }, requires_grad: true);
        var b = torch.tensor(new double[] { 5 }, requires_grad: true);
        var unused = torch.tensor(new double[] { 1, 1 }, requires_grad: true);
        var y = (a * a * b).sum();                         // dy/da = 2ab = 20, dy/db = a^2 = 4
        var g = LatentRules.Torch.Gradients.grad(new[] { y }, new[] { a, b, unused }, retain_graph: true);
        Assert.Equal(20.0, g[0].ToDouble());
        Assert.Equal(4.0, g[1].ToDouble());
        Assert.Equal(new double[] { 0, 0 }, g[2].ToArray<double>());
        Assert.Null(a.grad);
        // create_graph: second derivative d2y/da2 = 2b = 10.
        var first = LatentRules.Torch.Gradients.grad(new[] { y }, new[] { a }, create_graph: true)[0];
        Assert.Equal(10.0, LatentRules.Torch.Gradients.grad(new[] { first.sum() }, new[] { a })[0].ToDouble());
    }

    [Fact]
    public void InPlaceChangeOfASavedTensorIsDetected()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.ones(new long[] { 2 }, requires_grad: true);
        var y = x.exp();
        var z = y.mul(2).sum();
        using (torch.no_grad()) { }
        y.add_(1.0);                                        // exp saved its output for backward
        var e = Assert.Throws<System.Runtime.InteropServices.ExternalException>(() => z.backward());
        Assert.Contains("modified by an inplace operation", e.Message);
    }
}

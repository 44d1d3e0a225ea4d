using LatentRules.Torch;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace LatentRules.Tests.Torch;

/// <summary>Bad input raises a .NET exception that names the problem; the process survives.</summary>
[Collection("torch")]
public sealed class ErrorTests
{
    [Fact]
    public void ShapeMismatchNamesTheSizes()
    {
        using var scope = torch.NewDisposeScope();
        var e =
            Assert.Throws<System.Runtime.InteropServices.ExternalException>(() => torch.ones(2, 3) + torch.ones(2, 4));
        Assert.Contains("size of tensor a (3) must match the size of tensor b (4)", e.Message);
        // TorchSharp's own matmul has no native guard (a mismatch would terminate the process): the lab's checks first.
        var m =
            Assert.Throws<ArgumentException>(() => LatentRules.Torch.Ops.matmul(torch.ones(2, 3), torch.ones(2, 3)));
        Assert.Contains("float32[2, 3] cpu @ float32[2, 3] cpu", m.Message);
        Assert.Throws<ArgumentException>(() =>
            LatentRules.Torch.Ops.matmul(torch.ones(2, 3), torch.ones(new long[] { 3, 2 }, ScalarType.Float64)));
        Assert.Throws<ArgumentException>(() => LatentRules.Torch.Ops.matmul(torch.ones(2, 2, 3), torch.ones(3, 3, 2)));
        Assert.Equal(new long[] { 4, 2, 5 }, LatentRules.Torch.Ops.matmul(torch.ones(4, 2, 3), torch.ones(3, 5)).shape);
        Assert.Throws<System.Runtime.InteropServices.ExternalException>(() => torch.ones(6).view(4, 2));
    }

    [Fact]
    public void WrongDtypeIsReported()
    {
        using var scope = torch.NewDisposeScope();
        var e = Assert.Throws<System.Runtime.InteropServices.ExternalException>(() =>
            torch.ones(2, 2).index_select(0, torch.tensor(new float[] { 0 })));
        Assert.Contains("index", e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Throws<System.Runtime.InteropServices.ExternalException>(() =>
            F.cross_entropy(torch.ones(2, 3), torch.tensor(new float[] { 0, 1 })));
        Assert.Throws<System.Runtime.InteropServices.ExternalException>(() => torch.ones(2).mm(torch.ones(2)));
    }

    [Fact]
    public void OutOfRangeIndexAndDimension()
    {
        using var scope = torch.NewDisposeScope();
        var t = torch.ones(2, 3);
        Assert.Contains("out of range",
            Assert.Throws<System.Runtime.InteropServices.ExternalException>(() => t.select(0, 5)).Message);
        Assert.Contains("out of range",
            Assert.Throws<System.Runtime.InteropServices.ExternalException>(() => t.sum(4)).Message,
            StringComparison.OrdinalIgnoreCase);
        Assert.Throws<System.Runtime.InteropServices.ExternalException>(() =>
            t.index_select(1, torch.tensor(new long[] { 7 })));
        Assert.Throws<System.Runtime.InteropServices.ExternalException>(() =>
            torch.ones(3, 2).index_select(0, torch.tensor(new long[] { 10 })));
        Assert.ThrowsAny<Exception>(() => t.size(2));
    }

    [Fact]
    public void UseAfterDisposeIsAClearError()
    {
        var t = torch.ones(2);
        t.Dispose();
        // TorchSharp's own check: a managed exception, no native fault
        Assert.Throws<InvalidOperationException>(() => t.sum());
        var e = Assert.Throws<ObjectDisposedException>(() => t.ToArray<float>());
        Assert.Contains("used after it was disposed", e.Message);
        Tensor kept;
        using (torch.NewDisposeScope()) kept = torch.ones(3);
        Assert.True(kept.IsInvalid);
        Assert.Equal("tensor (disposed)", kept.Describe());
        Assert.Throws<ObjectDisposedException>(() => kept.ToArray<float>());
    }

    [Fact]
    public void BackwardOnNonScalarWithoutGradientIsReported()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.ones(new long[] { 3 }, requires_grad: true);
        Assert.Contains("scalar",
            Assert.Throws<System.Runtime.InteropServices.ExternalException>(() => (x * 2).backward()).Message);
        Assert.Throws<System.Runtime.InteropServices.ExternalException>(() => torch.ones(3).sum().backward());
    }

    [Fact]
    public void AutogradGradRefusesWhatWouldAbortNatively()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.ones(new long[] { 2 }, requires_grad: true);
        var unused = torch.ones(new long[] { 3 }, requires_grad: true);
        var grads = LatentRules.Torch.Gradients.grad(new[] { (x * x).sum() }, new[] { x, unused });
        Assert.Equal(new float[] { 2, 2 }, grads[0].ToArray<float>());
        Assert.Equal(new float[] { 0, 0, 0 }, grads[1].ToArray<float>());                 // unused: zeros, no abort
        Assert.Contains("scalar outputs",
            Assert.Throws<ArgumentException>(() => LatentRules.Torch.Gradients.grad(new[] { x * 2 }, new[] { x }))
                .Message);
        Assert.Contains("does not require grad",
            Assert.Throws<ArgumentException>(() =>
                LatentRules.Torch.Gradients.grad(new[] { torch.ones(1).sum() }, new[] { x })).Message);
    }

    [Fact]
    public void BadArgumentsCheckedInCSharp()
    {
        Assert.ThrowsAny<Exception>(() => torch.cat(Array.Empty<Tensor>()));
        Assert.Throws<ArgumentException>(() => new LatentRules.Torch.NN.LoraLinear(0, 3));
        Assert.Throws<ArgumentException>(() => LatentRules.Torch.Devices.Resolve("tpu"));
    }

    [Fact]
    public void RngStateRoundTripsAndAWrongStateIsRefused()
    {
        using var scope = torch.NewDisposeScope();
        var state = torch.get_rng_state();
        var a = torch.randn(4).ToArray<float>();
        torch.set_rng_state(state);
        Assert.Equal(a, torch.randn(4).ToArray<float>());
        var e = Assert.Throws<InvalidDataException>(() =>
            LatentRules.Torch.RandomState.Set(torch.ones(3), "ckpt/rng.safetensors"));
        Assert.Contains("ckpt/rng.safetensors: not a CPU generator state", e.Message);
        Assert.Throws<InvalidDataException>(() =>
            LatentRules.Torch.RandomState.Set(torch.zeros(new long[] { 3 }, ScalarType.Byte), "x"));
    }

    [Fact]
    public void ErrorStateDoesNotLeakIntoTheNextCall()
    {
        using var scope = torch.NewDisposeScope();
        Assert.Throws<System.Runtime.InteropServices.ExternalException>(() => torch.ones(2, 3) + torch.ones(2, 4));
        Assert.Equal(6f, torch.ones(2, 3).sum().ToSingle());
    }
}

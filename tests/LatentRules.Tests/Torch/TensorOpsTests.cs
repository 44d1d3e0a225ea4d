using LatentRules.Torch;
using LatentRules.Torch.NN;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace LatentRules.Tests.Torch;

/// <summary>Op values against results worked out by hand.</summary>
[Collection("torch")]
public sealed class TensorOpsTests
{
    private static Tensor M(float[] v, params long[] shape) => torch.tensor(v, shape);

    [Fact]
    public void CreationOpsHaveExpectedValuesShapesAndTypes()
    {
        using var scope = torch.NewDisposeScope();
        Assert.Equal(new float[] { 0, 0, 0, 0, 0, 0 }, torch.zeros(2, 3).ToArray<float>());
        Assert.Equal(new long[] { 2, 3 }, torch.ones(2, 3).shape);
        Assert.Equal(ScalarType.Float32, torch.ones(2).dtype);
        Assert.Equal(new double[] { 7.5, 7.5 },
            torch.full(new long[] { 2 }, 7.5, ScalarType.Float64).ToArray<double>());
        Assert.Equal(new long[] { 0, 1, 2, 3 }, torch.arange(4).ToArray<long>());
        Assert.Equal(ScalarType.Int64, torch.arange(4).dtype);
        Assert.Equal(new float[] { 1, 1.5f, 2, 2.5f }, torch.arange(1.0, 3.0, 0.5).ToArray<float>());
        Assert.Equal(new float[] { 0, 0.25f, 0.5f, 0.75f, 1 }, torch.linspace(0, 1, 5).ToArray<float>());
        Assert.Equal(new float[] { 1, 0, 0, 1 }, torch.eye(2).ToArray<float>());
        var ri = torch.randint(3, 7, new long[] { 1000 }).ToArray<long>();
        Assert.True(ri.Min() == 3 && ri.Max() == 6);
        var r = torch.rand(10000).ToArray<float>();
        Assert.True(r.Min() >= 0 && r.Max() < 1 && Math.Abs(r.Average() - 0.5) < 0.02);
        var n = torch.randn(20000).to(ScalarType.Float64);
        Assert.InRange(n.mean().ToDouble(), -0.03, 0.03);
        Assert.InRange(n.std().ToDouble(), 0.97, 1.03);
        Assert.Equal(new long[] { 0, 1, 2, 3, 4 }, torch.randperm(5).sort().Values.ToArray<long>());
        Assert.Equal(new[] { true, false }, torch.tensor(new[] { true, false }).ToArray<bool>());
        Assert.Equal(new int[] { 4, 5 }, torch.tensor(new[] { 4, 5 }).ToArray<int>());
        Assert.Equal(new byte[] { 4, 255 }, torch.tensor(new byte[] { 4, 255 }).ToArray<byte>());
        Assert.Equal(new float[,] { { 1, 2 }, { 3, 4 } },
            torch.tensor(new float[,] { { 1, 2 }, { 3, 4 } }).ToArray2D<float>());
        Assert.Equal(3.0, torch.tensor(3.0).ToDouble());
        Assert.Empty(torch.tensor(3.0).shape);
    }

    [Fact]
    public void HalfPrecisionTypesRoundTripThroughConversion()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(new float[] { 1.5f, -2.25f, 1024f });
        Assert.Equal(new float[] { 1.5f, -2.25f, 1024f }, x.to(ScalarType.BFloat16).ToArray<float>());
        Assert.Equal(new float[] { 1.5f, -2.25f, 1024f }, x.half().ToArray<float>());
        Assert.Equal(2, x.bfloat16().element_size());
        // bf16 keeps 8 bits of mantissa: 1 + 2^-9 rounds to 1.
        Assert.Equal(1f, torch.tensor(new float[] { 1 + 1f / 512 }).bfloat16().ToArray<float>()[0]);
    }

    [Fact]
    public void ArithmeticBroadcastsAndKeepsIntegerTypes()
    {
        using var scope = torch.NewDisposeScope();
        var a = M(new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        var b = M(new float[] { 10, 20, 30 }, 3);
        Assert.Equal(new float[] { 11, 22, 33, 14, 25, 36 }, (a + b).ToArray<float>());
        Assert.Equal(new float[] { -9, -18, -27, -6, -15, -24 }, (a - b).ToArray<float>());
        Assert.Equal(new float[] { 10, 40, 90, 40, 100, 180 }, (a * b).ToArray<float>());
        Assert.Equal(new float[] { 0.5f, 1, 1.5f, 2, 2.5f, 3 }, (a / 2).ToArray<float>());
        Assert.Equal(new float[] { 1, 0, -1, -2, -3, -4 }, (2 - a).ToArray<float>());
        Assert.Equal(new float[] { 12, 6, 4, 3, 2.4f, 2 }, (12 / a).ToArray<float>());
        Assert.Equal(new float[] { 21, 42, 63, 24, 45, 66 }, a.add(b, 2).ToArray<float>());
        Assert.Equal(new float[] { 1, 4, 9, 16, 25, 36 }, a.pow(2).ToArray<float>());
        var i = torch.tensor(new long[] { 1, 2, 3 });
        Assert.Equal(ScalarType.Int64, (i + 2).dtype);
        Assert.Equal(ScalarType.Float32, (i + 2.5).dtype);
        Assert.Equal(new long[] { 1, 0, 1 }, i.remainder(2).ToArray<long>());
        Assert.Equal(new float[] { -1, 0.5f, 2 }, M(new float[] { -3, 0.5f, 9 }, 3).clamp(-1, 2).ToArray<float>());
    }

    [Fact]
    public void MatrixProducts()
    {
        using var scope = torch.NewDisposeScope();
        var a = M(new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        var b = M(new float[] { 1, 0, 0, 1, 1, 1 }, 3, 2);
        // [[1+3, 2+3], [4+6, 5+6]]
        Assert.Equal(new float[] { 4, 5, 10, 11 }, a.matmul(b).ToArray<float>());
        Assert.Equal(new float[] { 4, 5, 10, 11 }, a.mm(b).ToArray<float>());
        var batched = torch.stack(new[] { a, a * 2 }).bmm(torch.stack(new[] { b, b }));
        Assert.Equal(new float[] { 4, 5, 10, 11, 8, 10, 20, 22 }, batched.ToArray<float>());
        Assert.Equal(new float[] { 3, 4, 6, 8 },
            M(new float[] { 1, 2 }, 2).outer(M(new float[] { 3, 4 }, 2)).ToArray<float>());
        var w = M(new float[] { 1, 1, 1, 0, 1, 0 }, 2, 3);
        var bias = M(new float[] { 100, 200 }, 2);
        Assert.Equal(new float[] { 106, 202, 115, 205 }, F.linear(a, w, bias).ToArray<float>());
    }

    [Fact]
    public void UnaryMath()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(new double[] { -2, -0.5, 0, 1, 4 });
        Assert.Equal(new double[] { 2, 0.5, 0, 1, 4 }, x.abs().ToArray<double>());
        Assert.Equal(new double[] { 0, 0, 0, 1, 4 }, x.relu().ToArray<double>());
        Assert.Equal(new double[] { -1, -1, 0, 1, 1 }, x.sign().ToArray<double>());
        Assert.Equal(Math.Exp(1), x.exp().ToArray<double>()[3], 12);
        Assert.Equal(2.0, x[4].sqrt().ToDouble(), 12);
        Assert.Equal(0.5, x[4].rsqrt().ToDouble(), 12);
        Assert.Equal(Math.Tanh(-0.5), x.tanh().ToArray<double>()[1], 12);
        Assert.Equal(1 / (1 + Math.Exp(2)), x.sigmoid().ToArray<double>()[0], 12);
        Assert.Equal(-0.5 / (1 + Math.Exp(0.5)), x.silu().ToArray<double>()[1], 12);
        // GELU(x) = x * Phi(x); Phi(1) = 0.8413447460685429.
        Assert.Equal(0.8413447460685429, x.gelu().ToArray<double>()[3], 12);
        double tanhApprox = 0.5 * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (1 + 0.044715)));
        Assert.Equal(tanhApprox, x.gelu(GELU.Approximate.tanh).ToArray<double>()[3], 12);
        Assert.Equal(Math.Log(4), x[4].log().ToDouble(), 12);
        Assert.Equal(Math.Sin(-2), x.sin().ToArray<double>()[0], 12);
        Assert.Equal(Math.Cos(-2), x.cos().ToArray<double>()[0], 12);
    }

    [Fact]
    public void ReductionsAlongDimensions()
    {
        using var scope = torch.NewDisposeScope();
        var a = torch.tensor(new double[] { 1, 5, 3, 4, 2, 6 }, new long[] { 2, 3 });
        Assert.Equal(21.0, a.sum().ToDouble());
        Assert.Equal(new double[] { 5, 7, 9 }, a.sum(0L).ToArray<double>());
        Assert.Equal(new long[] { 2, 1 }, a.sum(1, keepdim: true).shape);
        Assert.Equal(new double[] { 3, 4 }, a.mean(new long[] { 1 }).ToArray<double>());
        Assert.Equal(6.0, a.max().ToDouble());
        Assert.Equal(1.0, a.min().ToDouble());
        var (values, indices) = a.max(1);
        Assert.Equal(new double[] { 5, 6 }, values.ToArray<double>());
        Assert.Equal(new long[] { 1, 2 }, indices.ToArray<long>());
        Assert.Equal(new long[] { 0, 1, 0 }, a.argmin(0).ToArray<long>());
        Assert.Equal(5L, a.argmax().ToInt64());
        // Row 0: 1, 5, 3 -> mean 3, squared deviations 4 + 4 + 0 = 8, unbiased var 4, biased 8/3.
        Assert.Equal(new double[] { 4, 4 }, a.var(1).ToArray<double>());
        Assert.Equal(8.0 / 3, a.var(1, unbiased: false).ToArray<double>()[0], 12);
        Assert.Equal(2.0, a.std(1).ToArray<double>()[0], 12);
        Assert.Equal(Math.Sqrt(1 + 25 + 9 + 16 + 4 + 36), a.norm().ToDouble(), 12);
        Assert.Equal(new double[] { 1 + 5 + 3, 4 + 2 + 6 }, a.norm(1, false, 1).ToArray<double>());
        Assert.Equal(720.0, a.prod().ToDouble());
        Assert.Equal(new double[] { 1, 6, 9, 4, 6, 12 }, a.cumsum(1).ToArray<double>());
        Assert.True(a.gt(5.5).any().ToBoolean());
        Assert.False(a.gt(0.5).logical_not().any().ToBoolean());
    }

    [Fact]
    public void SoftmaxFamily()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(new double[] { 1, 2, 3 });
        double z = Math.Exp(1) + Math.Exp(2) + Math.Exp(3);
        Assert.Equal(Math.Exp(2) / z, x.softmax(0).ToArray<double>()[1], 12);
        Assert.Equal(2 - Math.Log(z), x.log_softmax(0).ToArray<double>()[1], 12);
        Assert.Equal(Math.Log(z), x.logsumexp(0).ToDouble(), 12);
        var logits = torch.tensor(new double[] { 1, 2, 3, 1, 1, 1 }, new long[] { 2, 3 });
        var target = torch.tensor(new long[] { 2, 0 });
        double expected = ((Math.Log(z) - 3) + Math.Log(3)) / 2;
        Assert.Equal(expected, F.cross_entropy(logits, target).ToDouble(), 12);
        // Ignored targets drop out of the mean.
        Assert.Equal(Math.Log(z) - 3, F.cross_entropy(logits, torch.tensor(new long[] { 2, -100 })).ToDouble(), 12);
        Assert.Equal(Math.Log(z) - 3,
            F.cross_entropy(logits, torch.tensor(new long[] { 2, 7 }), ignore_index: 7).ToDouble(), 12);
        Assert.Equal(new double[] { Math.Log(z) - 3, Math.Log(3) },
            F.cross_entropy(logits, target, reduction: nn.Reduction.None).ToArray<double>(), new Tol(1e-12));
        Assert.Equal(2.5,
            F.mse_loss(torch.tensor(new double[] { 1, 2 }), torch.tensor(new double[] { 2, 4 })).ToDouble());
    }

    [Fact]
    public void KlOfDiagonalGaussian()
    {
        using var scope = torch.NewDisposeScope();
        // mu = 1, logvar = log 2: KL = 0.5 (2 + 1 - 1 - log 2).
        var kl =
            Gaussian.kl_to_standard(torch.tensor(new double[] { 1, 0 }), torch.tensor(new double[] { Math.Log(2), 0 }));
        Assert.Equal(0.5 * (2 + 1 - 1 - Math.Log(2)), kl.ToArray<double>()[0], 12);
        Assert.Equal(0.0, kl.ToArray<double>()[1], 12);
    }

    [Fact]
    public void AttentionMasks()
    {
        using var scope = torch.NewDisposeScope();
        // PyTorch's convention: true = may attend. Query t may see key s when s <= t + offset.
        Assert.Equal(new[] { true, false, false, true, true, false }, Masks.causal(2, 3).view(-1).ToArray<bool>());
        Assert.Equal(new[] { true, true, false, true, true, true },
            Masks.causal(2, 3, offset: 1).view(-1).ToArray<bool>());
        var keys = Masks.keys(torch.tensor(new long[] { 0, 1, 1, 1, 1, 0 }, new long[] { 2, 3 }));
        Assert.Equal(new long[] { 2, 1, 1, 3 }, keys.shape);
        Assert.Equal(new[] { false, true, true, true, true, false }, keys.view(-1).ToArray<bool>());
        // The lab's attention and TorchSharp's fused SDPA agree on the convention (a row with some key allowed).
        var qr = torch.randn(1, 2, 3, 4);
        var kr = torch.randn(1, 2, 3, 4);
        var vr = torch.randn(1, 2, 3, 4);
        var causal = Masks.causal(3, 3);
        Assert.True(torch.allclose(Attention.scaled_dot_product(qr, kr, vr, causal),
            F.scaled_dot_product_attention(qr, kr, vr, causal), rtol: 1e-5, atol: 1e-6));
        Assert.True(torch.allclose(Attention.scaled_dot_product(qr, kr, vr, causal),
            F.scaled_dot_product_attention(qr, kr, vr, is_casual: true), rtol: 1e-5, atol: 1e-6));
        // A fully masked row gets uniform weights rather than NaN.
        var q = torch.ones(1, 2, 2);
        var v = torch.tensor(new float[] { 1, 2, 3, 4 }, new long[] { 1, 2, 2 });
        var none = torch.zeros(new long[] { 2, 2 }, ScalarType.Bool);
        Assert.Equal(new float[] { 2, 3, 2, 3 }, Attention.scaled_dot_product(q, q, v, none).ToArray<float>());
    }

    [Fact]
    public void SortTopkMultinomial()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(new float[] { 3, 1, 4, 1.5f, 9, 2 });
        var (v, i) = x.topk(2);
        Assert.Equal(new float[] { 9, 4 }, v.ToArray<float>());
        Assert.Equal(new long[] { 4, 2 }, i.ToArray<long>());
        Assert.Equal(new float[] { 1, 1.5f, 2, 3, 4, 9 }, x.sort().Values.ToArray<float>());
        Assert.Equal(new long[] { 4, 2, 0, 5, 3, 1 }, x.argsort(descending: true).ToArray<long>());
        torch.manual_seed(3);
        var draws = torch.tensor(new float[] { 0, 1, 0, 3 }).multinomial(4000, replacement: true).ToArray<long>();
        Assert.DoesNotContain(0L, draws);
        Assert.DoesNotContain(2L, draws);
        Assert.InRange(draws.Count(d => d == 3) / 4000.0, 0.72, 0.78);
    }

    [Fact]
    public void ShapeOps()
    {
        using var scope = torch.NewDisposeScope();
        var a = torch.arange(6).view(2, 3);                       // [[0,1,2],[3,4,5]]
        Assert.Equal(new long[] { 0, 3, 1, 4, 2, 5 }, a.t().contiguous().ToArray<long>());
        Assert.Equal(new long[] { 0, 3, 1, 4, 2, 5 }, a.permute(1, 0).reshape(-1).ToArray<long>());
        Assert.Equal(new long[] { 2, 1, 3 }, a.unsqueeze(1).shape);
        Assert.Equal(new long[] { 2, 3 }, a.unsqueeze(1).squeeze(1).shape);
        Assert.Equal(new long[] { 4, 2, 3 }, a.unsqueeze(0).expand(4, -1, -1).shape);
        Assert.Equal(new long[] { 0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5 }, a.repeat(1, 2).ToArray<long>());
        Assert.Equal(new long[] { 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5 }, a.repeat_interleave(2, 1).ToArray<long>());
        Assert.Equal(new long[] { 1, 2, 4, 5 }, a.narrow(1, 1, 2).contiguous().ToArray<long>());
        Assert.Equal(new long[] { 0, 2, 3, 5 }, a.slice(1, 0, 3, 2).contiguous().ToArray<long>());
        Assert.Equal(new long[] { 3, 4, 5 }, a.select(0, 1).ToArray<long>());
        Assert.Equal(new long[] { 2, 0, 5, 3 }, a.index_select(1, torch.tensor(new long[] { 2, 0 })).ToArray<long>());
        Assert.Equal(new long[] { 1, 1, 5, 3 },
            a.gather(1, torch.tensor(new long[] { 1, 1, 2, 0 }, new long[] { 2, 2 })).ToArray<long>());
        Assert.Equal(new long[] { 0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5 }, torch.cat(new[] { a, a }, 0).ToArray<long>());
        Assert.Equal(new long[] { 2, 2, 3 }, torch.stack(new[] { a, a }).shape);
        var parts = torch.arange(7).split(3);
        Assert.Equal(new[] { 3L, 3L, 1L }, parts.Select(p => p.numel()).ToArray());
        Assert.Equal(new long[] { 2, 3 },
            torch.arange(7).split(new long[] { 2, 5 })[1].ToArray<long>().Take(2).ToArray());
        Assert.Equal(new[] { 4L, 3L }, torch.arange(7).chunk(2).Select(p => p.numel()).ToArray());
        Assert.Equal(new long[] { 3, 4, 5 }, a.unbind(0)[1].ToArray<long>());
        Assert.Equal(new long[] { 0, -1, 2, -1, 4, -1 },
            a.masked_fill(a.remainder(2).eq(1L), -1L).view(-1).ToArray<long>());
        Assert.Equal(new long[] { 0, 10, 2, 10, 4, 10 },
            torch.where(a.remainder(2).eq(0L), a, torch.full_like(a, 10L)).view(-1).ToArray<long>());
        var sq = torch.ones(3, 3);
        Assert.Equal(new float[] { 1, 0, 0, 1, 1, 0, 1, 1, 1 }, sq.tril().ToArray<float>());
        Assert.Equal(new float[] { 0, 1, 1, 0, 0, 1, 0, 0, 0 }, sq.triu(1).ToArray<float>());
        Assert.Equal(new long[] { 2, 1, 0, 5, 4, 3 }, a.flip(1).ToArray<long>());
        Assert.Equal(new long[] { 9, 0, 1, 2, 9, 9, 3, 4, 5, 9 },
            F.pad(a, new long[] { 1, 1 }, value: 9).view(-1).ToArray<long>());
        Assert.Equal(new long[] { 1, 0, 0, 0, 0, 1 },
            F.one_hot(torch.tensor(new long[] { 0, 2 }), 3).view(-1).ToArray<long>());
    }

    [Fact]
    public void NumpyStyleIndexing()
    {
        using var scope = torch.NewDisposeScope();
        var a = torch.arange(24).view(2, 3, 4);
        Assert.Equal(new long[] { 3, 4 }, a[0].shape);
        Assert.Equal(new long[] { 4, 5, 6, 7 }, a[0, 1].ToArray<long>());
        Assert.Equal(23L, a[^1, ^1, ^1].ToInt64());
        Assert.Equal(new long[] { 2, 2, 4 }, a[.., 1..3].shape);
        Assert.Equal(new long[] { 2, 3, 1 }, a[TensorIndex.Ellipsis, 1..2].shape);
        Assert.Equal(new long[] { 1, 2, 3, 4 }, a[TensorIndex.None].shape);
        Assert.Equal(new long[] { 3, 11 }, a[0, .., 3][torch.tensor(new long[] { 0, 2 })].ToArray<long>());
        var b = torch.zeros(2, 3);
        b[1, 1..] = torch.ones(2);
        Assert.Equal(new float[] { 0, 0, 0, 0, 1, 1 }, b.ToArray<float>());
        Assert.ThrowsAny<System.Runtime.InteropServices.ExternalException>(() => a[0, 0, 0, 0]);
    }

    [Fact]
    public void ComparisonAndLogic()
    {
        using var scope = torch.NewDisposeScope();
        var a = torch.tensor(new float[] { 1, 2, 3 });
        var b = torch.tensor(new float[] { 3, 2, 1 });
        Assert.Equal(new[] { false, true, false }, a.eq(b).ToArray<bool>());
        Assert.Equal(new[] { true, false, true }, a.ne(b).ToArray<bool>());
        Assert.Equal(new[] { true, false, false }, a.lt(b).ToArray<bool>());
        Assert.Equal(new[] { true, true, false }, a.le(b).ToArray<bool>());
        Assert.Equal(new[] { false, false, true }, a.gt(b).ToArray<bool>());
        Assert.Equal(new[] { false, true, true }, a.ge(2.0).ToArray<bool>());
        Assert.Equal(new[] { false, true, false }, a.ge(2.0).logical_and(a.le(2.0)).ToArray<bool>());
        Assert.Equal(new[] { true, false, true }, a.lt(2.0).logical_or(a.gt(2.0)).ToArray<bool>());
        var weird = torch.tensor(new[] { 1.0, double.NaN, double.PositiveInfinity });
        Assert.Equal(new[] { false, true, false }, weird.isnan().ToArray<bool>());
        Assert.Equal(new[] { true, false, false }, weird.isfinite().ToArray<bool>());
        Assert.True(torch.allclose(a, a + 1e-7));
        Assert.False(torch.allclose(a, b));
    }

    [Fact]
    public void InPlaceOpsUsedByOptimisers()
    {
        using var scope = torch.NewDisposeScope();
        var p = torch.tensor(new double[] { 1, 2 });
        p.mul_(2).add_(torch.tensor(new double[] { 1, 1 }), 3);                            // [5, 7]
        Assert.Equal(new double[] { 5, 7 }, p.ToArray<double>());
        p.addcmul_(torch.tensor(new double[] { 2, 2 }), torch.tensor(new double[] { 3, 1 }), 0.5); // + [3, 1]
        Assert.Equal(new double[] { 8, 8 }, p.ToArray<double>());
        p.addcdiv_(torch.tensor(new double[] { 4, 4 }), torch.tensor(new double[] { 2, 4 }), -1);  // - [2, 1]
        Assert.Equal(new double[] { 6, 7 }, p.ToArray<double>());
        p.lerp_(torch.tensor(new double[] { 10, 10 }), 0.5);
        Assert.Equal(new double[] { 8, 8.5 }, p.ToArray<double>());
        p.sub_(torch.tensor(new double[] { 4, 0.5 })).div_(2.0).sqrt_();
        Assert.Equal(new double[] { Math.Sqrt(2), 2 }, p.ToArray<double>(), new Tol(1e-12));
        p.clamp_(max: 1.5).pow_(2);
        Assert.Equal(new double[] { 2, 2.25 }, p.ToArray<double>(), new Tol(1e-12));
        p.fill_(3.0).masked_fill_(torch.tensor(new[] { true, false }), 0.0);
        Assert.Equal(new double[] { 0, 3 }, p.ToArray<double>());
        p.copy_(torch.tensor(new float[] { 1.5f, 2.5f }));
        Assert.Equal(new double[] { 1.5, 2.5 }, p.ToArray<double>());
        p.zero_();
        Assert.Equal(new double[] { 0, 0 }, p.ToArray<double>());
    }

    [Fact]
    public void SeedMakesRandomnessRepeatable()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(42);
        var a = torch.randn(5).ToArray<float>();
        var d1 = F.dropout(torch.ones(100), 0.5).ToArray<float>();
        torch.manual_seed(42);
        var b = torch.randn(5).ToArray<float>();
        var d2 = F.dropout(torch.ones(100), 0.5).ToArray<float>();
        Assert.Equal(a, b);
        Assert.Equal(d1, d2);
        Assert.All(d1, v => Assert.True(v == 0 || v == 2));
    }

    [Fact]
    public void RuntimeFacts()
    {
        Assert.Equal("2.10.0.0", torch.__version__);
        Assert.Equal(LatentRules.Torch.Threads.Default, torch.get_num_threads());
        Assert.False(torch.cuda.is_available());
        Assert.Equal(DeviceType.CPU, LatentRules.Torch.Devices.Resolve("auto").type);
        Assert.Equal(DeviceType.META, LatentRules.Torch.Devices.Resolve("meta").type);
        Assert.Throws<ArgumentException>(() => LatentRules.Torch.Devices.Resolve("tpu"));
        // Only the package's libtorch is mapped into this process (never Debian's 1.13 beside it).
        var mapped = LatentRules.Torch.TorchRuntime.MappedLibTorch();
        Assert.Equal(new[] { Path.Combine(LatentRules.Torch.TorchRuntime.NativeDirectory, "libtorch_cpu.so") }, mapped);
    }
}

/// <summary>Element-wise comparison of doubles with an absolute tolerance.</summary>
public sealed class Tol(double tolerance) : IEqualityComparer<double>
{
    public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;
    public int GetHashCode(double obj) => 0;
}

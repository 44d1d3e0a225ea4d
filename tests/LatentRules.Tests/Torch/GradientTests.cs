using LatentRules.Torch;
using LatentRules.Torch.NN;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace LatentRules.Tests.Torch;

/// <summary>Every differentiable op's gradient against central finite differences (float64).</summary>
[Collection("torch")]
public sealed class GradientTests
{
    private static Tensor R(long seed, params long[] shape) => GradCheck.Randn(seed, shape);
    private static Tensor Pos(long seed, params long[] shape) { using var r = R(seed, shape); return r.abs().add(0.5); }

    public static TheoryData<string> UnaryOps => new()
    {
        "neg", "abs", "exp", "log", "log1p", "expm1", "sqrt", "rsqrt", "square", "reciprocal", "sin", "cos",
        "tanh", "sigmoid", "relu", "silu", "gelu", "gelu_tanh", "clamp", "pow2.5", "softmax", "log_softmax",
        "logsumexp", "sum", "sum_dim", "mean", "mean_dim", "var", "std_dim", "norm", "norm_dim", "max", "max_dim",
        "min_dim", "prod", "cumsum", "t", "transpose", "permute", "reshape", "view", "unsqueeze", "squeeze",
        "expand", "repeat", "repeat_interleave", "flatten", "narrow", "slice", "select", "tril", "triu", "flip",
        "roll", "pad", "contiguous", "clone", "dropout_eval", "topk", "sort", "split", "chunk", "unbind",
        "index_select", "gather", "masked_fill", "layer_norm_plain", "rms_norm", "std_all", "masked_select",
        "scatter_src",
    };

    [Theory]
    [MemberData(nameof(UnaryOps))]
    public void Unary(string op)
    {
        // Inputs strictly positive where the op needs it; distinct values so max/sort have unique winners.
        var x = op is "log" or "sqrt" or "rsqrt" or "reciprocal" or "pow2.5" ? Pos(1, 3, 4) : R(1, 3, 4);
        GradCheck.Check(a => Apply(op, a[0]), new[] { x }, name: op);
    }

    private static Tensor Apply(string op, Tensor x) => op switch
    {
        "neg" => x.neg(),
        "abs" => x.abs(),
        "exp" => x.exp(),
        "log" => x.log(),
        "log1p" => x.abs().log1p(),
        "expm1" => x.expm1(),
        "sqrt" => x.sqrt(),
        "rsqrt" => x.rsqrt(),
        "square" => x.square(),
        "reciprocal" => x.reciprocal(),
        "sin" => x.sin(),
        "cos" => x.cos(),
        "tanh" => x.tanh(),
        "sigmoid" => x.sigmoid(),
        "relu" => x.relu(),
        "silu" => x.silu(),
        "gelu" => x.gelu(),
        "gelu_tanh" => x.gelu(GELU.Approximate.tanh),
        "clamp" => x.clamp(-0.5, 0.7),
        "pow2.5" => x.pow(2.5),
        "softmax" => x.softmax(1),
        "log_softmax" => x.log_softmax(-1),
        "logsumexp" => x.logsumexp(1),
        "sum" => x.sum(),
        "sum_dim" => x.sum(0, keepdim: true),
        "mean" => x.mean(),
        "mean_dim" => x.mean(new long[] { 1 }),
        "var" => x.var(),
        "std_dim" => x.std(1),
        "norm" => x.norm(),
        "norm_dim" => x.norm(1, false, 2),
        "max" => x.max(),
        "max_dim" => x.max(1).values,
        "min_dim" => x.min(0).values,
        "prod" => x.prod(),
        "cumsum" => x.cumsum(1),
        "t" => x.t(),
        "transpose" => x.transpose(0, 1),
        "permute" => x.permute(1, 0),
        "reshape" => x.reshape(2, 6),
        "view" => x.view(-1),
        "unsqueeze" => x.unsqueeze(1),
        "squeeze" => x.unsqueeze(0).squeeze(),
        "expand" => x.unsqueeze(0).expand(2, 3, 4),
        "repeat" => x.repeat(2, 1),
        "repeat_interleave" => x.repeat_interleave(2, 1),
        "flatten" => x.flatten(),
        "narrow" => x.narrow(1, 1, 2),
        "slice" => x.slice(1, 0, 4, 2),
        "select" => x.select(0, 1),
        "tril" => x.tril(),
        "triu" => x.triu(1),
        "flip" => x.flip(1),
        "roll" => x.roll(1, 1),
        "pad" => F.pad(x, new long[] { 1, 2 }, value: 0.5),
        "contiguous" => x.t().contiguous(),
        "clone" => x.clone(),
        "dropout_eval" => F.dropout(x, 0.3, training: false),
        "topk" => x.topk(2, 1).values,
        "sort" => x.sort(1).Values,
        "split" => x.split(3, 1)[1],
        "chunk" => x.chunk(2, 1)[0],
        "unbind" => x.unbind(0)[2],
        "index_select" => x.index_select(1, torch.tensor(new long[] { 3, 0, 3 })),
        "gather" => x.gather(1, torch.tensor(new long[] { 0, 1, 2, 3, 3, 2 }, new long[] { 3, 2 })),
        "masked_fill" => x.masked_fill(x.gt(0.0), 2.0),
        "layer_norm_plain" => F.layer_norm(x, new long[] { 4 }),
        "rms_norm" => RMSNorm.rms_norm(x, torch.ones(new long[] { 4 }, ScalarType.Float64), 1e-6),
        "std_all" => x.std(),
        "masked_select" => x.masked_select(x.gt(0.0)),
        "scatter_src" =>
            torch.zeros(new long[] { 3, 5 }, ScalarType.Float64)
                .scatter(1, torch.tensor(new long[] { 4, 0, 2, 1, 3, 2, 0, 1, 4, 3, 1, 0 }, new long[] { 3, 4 }), x),
        _ => throw new ArgumentException(op),
    };

    public static TheoryData<string> BinaryOps => new()
    {
        "add", "add_alpha", "sub", "mul", "div", "pow", "maximum", "minimum", "matmul", "mm", "bmm", "outer",
        "add_broadcast", "mul_broadcast", "cat", "stack", "where", "addcmul", "mse", "linear_nobias",
    };

    [Theory]
    [MemberData(nameof(BinaryOps))]
    public void Binary(string op)
    {
        var (a, b) = op switch
        {
            "mm" or "matmul" => (R(1, 3, 4), R(2, 4, 2)),
            "bmm" => (R(1, 2, 3, 4), R(2, 2, 4, 5)),
            "outer" => (R(1, 3), R(2, 4)),
            "pow" => (Pos(1, 3, 4), R(2, 3, 4)),
            "div" => (R(1, 3, 4), Pos(2, 3, 4)),
            "add_broadcast" or "mul_broadcast" => (R(1, 3, 4), R(2, 4)),
            "linear_nobias" => (R(1, 3, 4), R(2, 5, 4)),
            _ => (R(1, 3, 4), R(2, 3, 4)),
        };
        GradCheck.Check(t => op switch
        {
            "add" => t[0].add(t[1]),
            "add_alpha" => t[0].add(t[1], 2.5),
            "sub" => t[0] - t[1],
            "mul" => t[0] * t[1],
            "div" => t[0] / t[1],
            "pow" => t[0].pow(t[1]),
            "maximum" => t[0].maximum(t[1]),
            "minimum" => t[0].minimum(t[1]),
            "matmul" => t[0].matmul(t[1]),
            "mm" => t[0].mm(t[1]),
            "bmm" => t[0].bmm(t[1]),
            "outer" => t[0].outer(t[1]),
            "add_broadcast" => t[0] + t[1],
            "mul_broadcast" => t[0] * t[1],
            "cat" => torch.cat(t, 1),
            "stack" => torch.stack(t, 0),
            "where" => torch.where(t[0].gt(t[1]), t[0], t[1]),
            "addcmul" => t[0].addcmul(t[1], t[0], 0.5),
            "mse" => F.mse_loss(t[0], t[1]),
            "linear_nobias" => F.linear(t[0], t[1]),
            _ => throw new ArgumentException(op),
        }, new[] { a, b }, name: op);
    }

    [Fact]
    public void LinearWithBias() =>
        GradCheck.Check(t => F.linear(t[0], t[1], t[2]), new[] { R(1, 2, 3, 4), R(2, 5, 4), R(3, 5) }, name: "linear");

    [Fact]
    public void LayerNormAffine() =>
        GradCheck.Check(t => F.layer_norm(t[0], new long[] { 4 }, t[1], t[2]), new[] { R(1, 3, 4), R(2, 4), R(3, 4) },
            name: "layer_norm");

    [Fact]
    public void RmsNormWeight() =>
        GradCheck.Check(t => RMSNorm.rms_norm(t[0], t[1], 1e-6), new[] { R(1, 3, 4), R(2, 4) }, name: "rms_norm");

    [Fact]
    public void Embedding() =>
        GradCheck.Check(t => t[0].index_select(0, torch.tensor(new long[] { 2, 0, 2, 4 })), new[] { R(1, 5, 3) },
            name: "embedding");

    [Fact]
    public void CrossEntropyWithIgnoredTargets() =>
        GradCheck.Check(t => F.cross_entropy(t[0], torch.tensor(new long[] { 1, -100, 3, 0 })), new[] { R(1, 4, 5) },
            name: "cross_entropy");

    [Fact]
    public void CrossEntropyLabelSmoothingSum() =>
        GradCheck.Check(t => F.cross_entropy(t[0], torch.tensor(new long[] { 1, 2, 3, 0 }), reduction: nn.Reduction.Sum,
            label_smoothing: 0.1),
            new[] { R(1, 4, 5) }, name: "cross_entropy_smooth");

    [Fact]
    public void NllLoss() =>
        GradCheck.Check(t => F.nll_loss(t[0].log_softmax(1), torch.tensor(new long[] { 1, 2, 0 })),
            new[] { R(1, 3, 4) }, name: "nll");

    [Fact]
    public void KlDiagGaussian() =>
        GradCheck.Check(t => Gaussian.kl_to_standard(t[0], t[1]), new[] { R(1, 3, 4), R(2, 3, 4) }, name: "kl");

    [Fact]
    public void AttentionWithCausalMask() =>
        GradCheck.Check(t => Attention.scaled_dot_product(t[0], t[1], t[2], Masks.causal(3, 3)),
            new[] { R(1, 2, 3, 4), R(2, 2, 3, 4), R(3, 2, 3, 4) }, name: "attention");

    [Fact]
    public void ScalarOperators() =>
        GradCheck.Check(t => (2.0 - t[0]) * 3.0 / (t[0].square() + 1.0) + 1.5 / (t[0].abs() + 1.0),
            new[] { R(1, 3, 4) }, name: "scalar operators");
}

using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LatentRules.Torch.NN;

/// <summary>
/// Root-mean-square normalisation as Qwen2 computes it: x / sqrt(mean(x^2) + eps), in float32 for half-precision
/// inputs, cast back, then scaled by weight. (TorchSharp 0.107 has no RMSNorm module.)
/// </summary>
public sealed class RMSNorm : nn.Module<Tensor, Tensor>
{
    public Parameter weight;
    public double eps { get; }

    public RMSNorm(long dim, double eps = 1e-6, ScalarType? dtype = null, Device? device = null) : base(nameof(RMSNorm))
    {
        weight = new Parameter(ones(new[] { dim }, dtype, device));
        this.eps = eps;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => rms_norm(x, weight, eps);

    /// <summary>
    /// The functional form: weight * x / sqrt(mean(x^2, -1) + eps), half precision normalised in float32.
    /// </summary>
    public static Tensor rms_norm(Tensor x, Tensor weight, double eps)
    {
        using var scope = NewDisposeScope();
        bool upcast = x.dtype is ScalarType.BFloat16 or ScalarType.Float16;
        var input = upcast ? x.to(ScalarType.Float32) : x;
        var normed = input * input.square().mean(new long[] { -1 }, keepdim: true).add(eps).rsqrt();
        var back = upcast ? normed.to(x.dtype) : normed;
        return (weight * back).MoveToOuterDisposeScope();
    }
}

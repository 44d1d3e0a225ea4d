using LatentRules.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace LatentRules.Models.Qwen2;

/// <summary>
/// Rotary position embedding in the half-rotation convention of Qwen2/Llama: dimension i of the first half
/// pairs with dimension i of the second half, rotated by angle position * theta^(-2i/d).
/// </summary>
public static class RotaryEmbedding
{
    /// <summary>
    /// cos and sin tables [B, 1, T, D] for position ids [B, T], on the ids' device: float32 (as the reference
    /// implementation keeps them for float32 and half-precision models) or float64 for float64 models.
    /// </summary>
    public static (Tensor cos, Tensor sin) Tables(Tensor positionIds, int headDim, double theta,
        ScalarType dtype = ScalarType.Float32)
    {
        using var scope = NewDisposeScope();
        var exponents = arange(0L, headDim, 2L, ScalarType.Float64, positionIds.device).div(headDim);  // [D/2]
        var invFreq = exponents.mul(-Math.Log(theta)).exp();                                          // theta^(-2i/d)
        var angles = positionIds.to(ScalarType.Float64).unsqueeze(-1) * invFreq;                      // [B, T, D/2]
        var full = cat(new[] { angles, angles }, -1).unsqueeze(1);                                     // [B, 1, T, D]
        return (full.cos().to(dtype).MoveToOuterDisposeScope(), full.sin().to(dtype).MoveToOuterDisposeScope());
    }

    /// <summary>x * cos + rotate_half(x) * sin for x [B, heads, T, D]; computed in x's dtype.</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        using var scope = NewDisposeScope();
        long half = x.size(-1) / 2;
        var first = x.narrow(-1, 0, half);
        var second = x.narrow(-1, half, half);
        var rotated = cat(new[] { second.neg(), first }, -1);                                           // rotate_half
        var c = cos.dtype == x.dtype ? cos : cos.to(x.dtype);
        var s = sin.dtype == x.dtype ? sin : sin.to(x.dtype);
        return (x * c + rotated * s).MoveToOuterDisposeScope();
    }
}

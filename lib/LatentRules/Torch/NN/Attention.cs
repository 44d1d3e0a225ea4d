using TorchSharp;
using static TorchSharp.torch;

namespace LatentRules.Torch.NN;

/// <summary>softmax(q k^T / sqrt(d), masked) v, with the lab's handling of fully masked rows.</summary>
public static class Attention
{
    /// <summary>
    /// q [.., T, d], k and v [.., S, d]; mask broadcastable to [.., T, S], true = may attend (PyTorch's convention).
    /// Written as matmul -> mask -> softmax -> matmul rather than TorchSharp's fused SDPA for two reasons: a row whose
    /// keys are all masked (a padded query) gets uniform weights instead of NaN, which would otherwise leak through
    /// 0 * NaN into later layers and gradients; and half-precision inputs take the softmax in float32 as Qwen2's
    /// reference does.
    /// </summary>
    public static Tensor scaled_dot_product(Tensor q, Tensor k, Tensor v, Tensor? mask = null, double dropout_p = 0,
        bool training = false)
    {
        using var scope = NewDisposeScope();
        var scores = Ops.matmul(q, k.transpose(-2, -1)).mul(1.0 / Math.Sqrt(q.size(-1)));       // [.., T, S]
        bool half = scores.dtype is ScalarType.BFloat16 or ScalarType.Float16;
        if (half) scores = scores.to(ScalarType.Float32);
        if (mask is not null) scores = scores.masked_fill(mask.bitwise_not(), scores.dtype.LowestFinite());
        var weights = scores.softmax(-1);
        if (half) weights = weights.to(q.dtype);
        if (dropout_p > 0 && training) weights = nn.functional.dropout(weights, dropout_p, true);
        return Ops.matmul(weights, v).MoveToOuterDisposeScope();                                  // [.., T, d]
    }
}

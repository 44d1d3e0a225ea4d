using TorchSharp;
using static TorchSharp.torch;

namespace LatentRules.Torch.NN;

/// <summary>
/// Attention masks in PyTorch's convention (scaled_dot_product_attention's boolean attn_mask): true = may attend.
/// </summary>
public static class Masks
{
    /// <summary>Boolean [T, S]: query t may attend to key s when s &lt;= t + offset (offset = cached tokens).</summary>
    public static Tensor causal(long queries, long keys, long offset = 0, Device? device = null)
    {
        using var scope = NewDisposeScope();
        return ones(new[] { queries, keys }, ScalarType.Bool, device).tril(offset).MoveToOuterDisposeScope();
    }

    /// <summary>Boolean [B, 1, 1, S] from an attention mask [B, S] (1 token, 0 padding): true at real keys.</summary>
    public static Tensor keys(Tensor attention_mask)
    {
        using var scope = NewDisposeScope();
        // [B, S] -> [B, 1, 1, S]
        return attention_mask.ne(0L).unsqueeze(1).unsqueeze(2).MoveToOuterDisposeScope();
    }
}

using LatentRules.Torch;
using LatentRules.Torch.NN;
using TorchSharp;
using static TorchSharp.torch;

namespace LatentRules.Models.Qwen2;

/// <summary>
/// Grouped-query self-attention of Qwen2: q/k/v projections with bias, o_proj without; RoPE on q and k;
/// each key/value head serves heads/kv_heads query heads. Optional latent contributions (<see cref="AttentionLatent"/>)
/// implement the study's Query, Key-Value and Memory injections.
/// </summary>
public sealed class Qwen2Attention : nn.Module
{
    public LoraLinear q_proj, k_proj, v_proj, o_proj;
    private readonly int _heads, _kvHeads, _headDim;

    public Qwen2Attention(Qwen2Config c, ScalarType? dtype = null) : base(nameof(Qwen2Attention))
    {
        _heads = c.NumAttentionHeads; _kvHeads = c.NumKeyValueHeads; _headDim = c.HeadDim;
        q_proj = new LoraLinear(c.HiddenSize, _heads * _headDim, hasBias: true, dtype);
        k_proj = new LoraLinear(c.HiddenSize, _kvHeads * _headDim, hasBias: true, dtype);
        v_proj = new LoraLinear(c.HiddenSize, _kvHeads * _headDim, hasBias: true, dtype);
        o_proj = new LoraLinear(_heads * _headDim, c.HiddenSize, hasBias: false, dtype);
        RegisterComponents();
    }

    /// <param name="x">hidden states [B, T, hidden]</param>
    /// <param name="cos">RoPE table [B, 1, T, D]</param>
    /// <param name="sin">RoPE table [B, 1, T, D]</param>
    /// <param name="mask">boolean [B, 1, T, S], true where a query may see a key (S = cached + T; PyTorch's
    /// convention)</param>
    /// <param name="latent">optional latent contributions</param>
    /// <param name="cache">optional KV cache for this layer</param>
    public Tensor forward(Tensor x, Tensor cos, Tensor sin, Tensor mask, AttentionLatent? latent, KVCache? cache,
        int layer)
    {
        using var scope = NewDisposeScope();
        long b = x.size(0), t = x.size(1);
        var q = q_proj.forward(x);                                                        // [B, T, H*D]
        var k = k_proj.forward(x);                                                        // [B, T, KV*D]
        var v = v_proj.forward(x);
        if (latent?.QueryShift is { } qs) q = q + qs;                                     // Query injection
        if (latent?.KeyShift is { } ks) k = k + ks;                                       // Key-Value injection
        if (latent?.ValueShift is { } vs) v = v + vs;

        var qh = Heads(q, b, t, _heads);                                                  // [B, H, T, D]
        var kh = Heads(k, b, t, _kvHeads);                                                // [B, KV, T, D]
        var vh = Heads(v, b, t, _kvHeads);
        qh = RotaryEmbedding.Apply(qh, cos, sin);
        kh = RotaryEmbedding.Apply(kh, cos, sin);
        if (cache is not null) (kh, vh) = cache.Append(layer, kh, vh);                   // [B, KV, S, D]

        var fullMask = mask;
        if (latent?.MemoryKey is { } mk && latent.MemoryValue is { } mv)
        {
            // Memory injection: one position-free slot in front of the keys, visible to every query.
            kh = cat(new[] { Heads(mk, b, 1, _kvHeads), kh }, 2);                         // [B, KV, 1+S, D]
            vh = cat(new[] { Heads(mv, b, 1, _kvHeads), vh }, 2);
            var open = ones(new[] { mask.size(0), 1L, mask.size(2), 1L }, ScalarType.Bool, mask.device);
            fullMask = cat(new[] { open, mask }, 3);                                      // [B, 1, T, 1+S]
        }

        int groups = _heads / _kvHeads;
        if (groups > 1)
        {
            kh = kh.repeat_interleave(groups, 1);                                         // [B, H, S, D]
            vh = vh.repeat_interleave(groups, 1);
        }
        // [B, H, T, D]
        var attended = Attention.scaled_dot_product(qh, kh, vh, fullMask);
        var merged = attended.transpose(1, 2).reshape(b, t, _heads * _headDim);           // [B, T, H*D]
        return o_proj.forward(merged).MoveToOuterDisposeScope();
    }

    // [B, T, n*D] -> [B, n, T, D]
    private Tensor Heads(Tensor x, long b, long t, int n) => x.view(b, t, n, _headDim).transpose(1, 2);
}

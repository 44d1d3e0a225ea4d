using LatentRules.Torch;
using TorchSharp;
using LatentRules.Torch.NN;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace LatentRules.Lab.Benchmarks;

/// <summary>Sizes of <see cref="MiniTransformer"/>.</summary>
public sealed record MiniTransformerConfig(
    int Vocab = 1000,     // token vocabulary
    int DModel = 256,     // hidden width
    int Heads = 4,        // attention heads (DModel divisible by Heads)
    int Layers = 4,       // pre-LN blocks
    int MaxSeq = 64);     // learned positions

/// <summary>
/// A plain GPT-style causal Transformer (pre-LN, GELU MLP, learned positions), the reference workload of
/// the engine benchmark and the engine's learning test. benchmarks/engine_reference.py holds the same
/// model in PyTorch, layer for layer.
/// </summary>
public sealed class MiniTransformer : nn.Module<Tensor, Tensor>
{
    private sealed class Block(int d, int heads) : nn.Module<Tensor, Tensor>
    {
        public nn.LayerNorm ln1 = new(d);
        public Linear qkv = new(d, 3 * d);
        public Linear proj = new(d, d);
        public nn.LayerNorm ln2 = new(d);
        public Linear fc = new(d, 4 * d);
        public Linear fc_out = new(4 * d, d);

        // Temporaries are disposed as soon as they are used, as Python's reference counting would: the
        // autograd graph keeps what backward needs, and libtorch can reuse the rest during backward.
        public override Tensor forward(Tensor x)
        {
            long b = x.size(0), t = x.size(1);
            Tensor[] parts;
            using (var normed = ln1.forward(x))
            using (var packed = qkv.forward(normed))
            using (var split = packed.view(b, t, 3, heads, d / heads))            // [B, T, 3, H, Dh]
            using (var perm = split.permute(2, 0, 3, 1, 4))                        // [3, B, H, T, Dh]
                parts = perm.unbind(0);                                            // 3 x [B, H, T, Dh]
            using var mask = F.causal_mask(t, t);
            Tensor attendedOut;
            using (var attended = F.scaled_dot_product_attention(parts[0], parts[1], parts[2], mask))
            using (var swapped = attended.transpose(1, 2))                         // [B, T, H, Dh]
            using (var merged = swapped.reshape(b, t, d))                          // [B, T, D]
                attendedOut = proj.forward(merged);
            foreach (var part in parts) part.Dispose();
            using var residual = x + attendedOut;
            attendedOut.Dispose();
            using var normed2 = ln2.forward(residual);
            using var hidden = fc.forward(normed2);
            using var activated = F.gelu(hidden);
            using var mlp = fc_out.forward(activated);
            return residual + mlp;
        }
    }

    public nn.Embedding tok;
    public nn.Embedding pos;
    public nn.ModuleList<nn.Module<Tensor, Tensor>> blocks = new();
    public nn.LayerNorm ln_f;
    public Linear head;

    public MiniTransformer(MiniTransformerConfig c)
    {
        if (c.DModel % c.Heads != 0) throw new ArgumentException($"DModel {c.DModel} is not divisible by Heads {c.Heads}");
        tok = new nn.Embedding(c.Vocab, c.DModel);
        pos = new nn.Embedding(c.MaxSeq, c.DModel);
        for (int k = 0; k < c.Layers; k++) blocks.Add(new Block(c.DModel, c.Heads));
        ln_f = new nn.LayerNorm(c.DModel);
        head = new Linear(c.DModel, c.Vocab);
    }

    /// <summary>Token ids [B, T] -> logits [B, T, Vocab].</summary>
    public override Tensor forward(Tensor ids)
    {
        long t = ids.size(1);
        using var positions = arange(t);
        Tensor x;
        using (var tokens = tok.forward(ids))
        using (var places = pos.forward(positions))
            x = tokens + places;                                                      // [B, T, D]
        foreach (var block in blocks)
        {
            var next = block.forward(x);
            x.Dispose();
            x = next;
        }
        using (x)
        using (var normed = ln_f.forward(x))
            return head.forward(normed);
    }
}

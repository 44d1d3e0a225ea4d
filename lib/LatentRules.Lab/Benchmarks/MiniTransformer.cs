using LatentRules.Torch;
using LatentRules.Torch.NN;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

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
    private sealed class Block : nn.Module<Tensor, Tensor>
    {
        public LayerNorm ln1, ln2;
        public Linear qkv, proj, fc, fc_out;
        private readonly int _heads;

        public Block(int d, int heads) : base(nameof(Block))
        {
            ln1 = nn.LayerNorm(d);
            qkv = nn.Linear(d, 3 * d);
            proj = nn.Linear(d, d);
            ln2 = nn.LayerNorm(d);
            fc = nn.Linear(d, 4 * d);
            fc_out = nn.Linear(4 * d, d);
            _heads = heads;
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            long b = x.size(0), t = x.size(1), d = x.size(2);
            var qkvHeads = qkv.forward(ln1.forward(x))
                .view(b, t, 3, _heads, d / _heads)                                   // [B, T, 3, H, Dh]
                .permute(2, 0, 3, 1, 4);                                             // [3, B, H, T, Dh]
            var parts = qkvHeads.unbind(0);                                          // 3 x [B, H, T, Dh]
            var attended =
                Attention.scaled_dot_product(parts[0], parts[1], parts[2], Masks.causal(t, t, device: x.device));
            var merged = attended.transpose(1, 2).reshape(b, t, d);                  // [B, H, T, Dh] -> [B, T, D]
            var residual = x + proj.forward(merged);
            return (residual + fc_out.forward(nn.functional.gelu(fc.forward(ln2.forward(residual)))))
                .MoveToOuterDisposeScope();
        }
    }

    public Embedding tok, pos;
    public ModuleList<nn.Module<Tensor, Tensor>> blocks;
    public LayerNorm ln_f;
    public Linear head;

    public MiniTransformer(MiniTransformerConfig c) : base(nameof(MiniTransformer))
    {
        if (c.DModel % c.Heads != 0)
            throw new ArgumentException($"DModel {c.DModel} is not divisible by Heads {c.Heads}");
        tok = nn.Embedding(c.Vocab, c.DModel);
        pos = nn.Embedding(c.MaxSeq, c.DModel);
        blocks = nn.ModuleList(Enumerable.Range(0, c.Layers)
            .Select(_ => (nn.Module<Tensor, Tensor>)new Block(c.DModel, c.Heads)).ToArray());
        ln_f = nn.LayerNorm(c.DModel);
        head = nn.Linear(c.DModel, c.Vocab);
        RegisterComponents();
    }

    /// <summary>Token ids [B, T] -> logits [B, T, Vocab].</summary>
    public override Tensor forward(Tensor ids)
    {
        using var scope = NewDisposeScope();
        var x = tok.forward(ids) + pos.forward(arange(ids.size(1), device: ids.device));    // [B, T, D]
        foreach (var block in blocks) x = block.forward(x);
        return head.forward(ln_f.forward(x)).MoveToOuterDisposeScope();
    }
}

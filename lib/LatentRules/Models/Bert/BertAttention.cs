using LatentRules.Torch.NN;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LatentRules.Models.Bert;

/// <summary>The query/key/value projections of one BERT layer (HF: attention.self).</summary>
public sealed class BertSelfAttention : nn.Module<Tensor, Tensor, Tensor>
{
    public LoraLinear query, key, value;
    private readonly int _heads;
    private readonly double _dropout;

    public BertSelfAttention(BertConfig c) : base(nameof(BertSelfAttention))
    {
        query = new LoraLinear(c.HiddenSize, c.HiddenSize);
        key = new LoraLinear(c.HiddenSize, c.HiddenSize);
        value = new LoraLinear(c.HiddenSize, c.HiddenSize);
        _heads = c.NumAttentionHeads;
        _dropout = c.AttentionDropout;
        RegisterComponents();
    }

    /// <summary>
    /// x [B, T, H], allowed [B, 1, 1, T] (true = a real key) -> attended values [B, T, H], heads merged.
    /// </summary>
    public override Tensor forward(Tensor x, Tensor allowed)
    {
        using var scope = NewDisposeScope();
        long b = x.size(0), t = x.size(1), h = x.size(2), d = h / _heads;
        // [B, T, H] -> [B, heads, T, d]
        Tensor Heads(LoraLinear proj) => proj.forward(x).view(b, t, _heads, d).transpose(1, 2);
        // [B, heads, T, d]
        var attended =
            Attention.scaled_dot_product(Heads(query), Heads(key), Heads(value), allowed, _dropout, training);
        // [B, heads, T, d] -> [B, T, H]
        return attended.transpose(1, 2).reshape(b, t, h).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// A projection back to the model width, dropout and the residual LayerNorm (HF: attention.output and output).
/// </summary>
public sealed class BertOutput : nn.Module<Tensor, Tensor, Tensor>
{
    public LoraLinear dense;
    public LayerNorm LayerNorm;
    public Dropout dropout;
    private readonly bool _preNorm;

    public BertOutput(int inputs, BertConfig c) : base(nameof(BertOutput))
    {
        dense = new LoraLinear(inputs, c.HiddenSize);
        LayerNorm = nn.LayerNorm(c.HiddenSize, c.LayerNormEps);
        dropout = nn.Dropout(c.HiddenDropout);
        _preNorm = c.PreLayerNorm;
        RegisterComponents();
    }

    /// <summary>
    /// Post-LN (BERT): LN(residual + dropout(dense(h))). Pre-LN: residual + dropout(dense(h)), the LN applied before
    /// the sublayer.
    /// </summary>
    public override Tensor forward(Tensor h, Tensor residual)
    {
        using var scope = NewDisposeScope();
        var x = residual + dropout.forward(dense.forward(h));
        return (_preNorm ? x : LayerNorm.forward(x)).MoveToOuterDisposeScope();
    }
}

/// <summary>Self-attention with its output block (HF: BertAttention).</summary>
public sealed class BertAttention : nn.Module<Tensor, Tensor, Tensor>
{
    public BertSelfAttention self;
    public BertOutput output;
    private readonly bool _preNorm;

    public BertAttention(BertConfig c) : base(nameof(BertAttention))
    {
        self = new BertSelfAttention(c);
        output = new BertOutput(c.HiddenSize, c);
        _preNorm = c.PreLayerNorm;
        RegisterComponents();
    }

    /// <summary>x [B, T, H] -> [B, T, H]. Pre-LN normalises the input with this block's LayerNorm first.</summary>
    public override Tensor forward(Tensor x, Tensor allowed)
    {
        using var scope = NewDisposeScope();
        var h = _preNorm ? output.LayerNorm.forward(x) : x;
        return output.forward(self.forward(h, allowed), x).MoveToOuterDisposeScope();
    }
}

using LatentRules.Torch.NN;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LatentRules.Models.Bert;

/// <summary>The FFN's first projection (HF: intermediate.dense).</summary>
public sealed class BertIntermediate : nn.Module<Tensor, Tensor>
{
    public LoraLinear dense;
    private readonly GELU.Approximate _approximate;

    public BertIntermediate(BertConfig c) : base(nameof(BertIntermediate))
    {
        dense = new LoraLinear(c.HiddenSize, c.IntermediateSize);
        _approximate = c.HiddenAct == "gelu" ? GELU.Approximate.none : GELU.Approximate.tanh;
        RegisterComponents();
    }

    public override Tensor forward(Tensor h)
    {
        using var scope = NewDisposeScope();
        // [B, T, intermediate]
        return dense.forward(h).gelu(_approximate).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// One BERT block in data-flow order: attention, then the GELU FFN, each with residual and LayerNorm.
/// </summary>
public sealed class BertLayer : nn.Module<Tensor, Tensor, Tensor>
{
    public BertAttention attention;
    public BertIntermediate intermediate;
    public BertOutput output;
    private readonly bool _preNorm;

    public BertLayer(BertConfig c) : base(nameof(BertLayer))
    {
        attention = new BertAttention(c);
        intermediate = new BertIntermediate(c);
        output = new BertOutput(c.IntermediateSize, c);
        _preNorm = c.PreLayerNorm;
        RegisterComponents();
    }

    /// <summary>x [B, T, H], allowed [B, 1, 1, T] -> [B, T, H].</summary>
    public override Tensor forward(Tensor x, Tensor allowed)
    {
        using var scope = NewDisposeScope();
        var a = attention.forward(x, allowed);                                                    // [B, T, H]
        var h = _preNorm ? output.LayerNorm.forward(a) : a;
        return output.forward(intermediate.forward(h), a).MoveToOuterDisposeScope();
    }
}

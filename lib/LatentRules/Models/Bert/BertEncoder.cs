using LatentRules.Torch.NN;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LatentRules.Models.Bert;

/// <summary>The block stack (HF: encoder), with a final LayerNorm in the pre-LN variant.</summary>
public sealed class BertStack : nn.Module
{
    public ModuleList<BertLayer> layer;
    /// <summary>Pre-LN only: the LayerNorm after the last block.</summary>
    public LayerNorm? final_layer_norm;

    public BertStack(BertConfig c) : base(nameof(BertStack))
    {
        layer = nn.ModuleList(Enumerable.Range(0, c.NumHiddenLayers).Select(_ => new BertLayer(c)).ToArray());
        if (c.PreLayerNorm) final_layer_norm = nn.LayerNorm(c.HiddenSize, c.LayerNormEps);
        RegisterComponents();
    }
}

/// <summary>
/// A BERT encoder (post-LN blocks as BERT, or pre-LN with a final LayerNorm by config; GELU FFN, learned positions and
/// segment embeddings). Parameter names follow the Hugging Face checkpoint (embeddings.word_embeddings.weight,
/// encoder.layer.0.attention.self.query.weight, ...), so bert-base-cased weights load by name where a user has them.
/// </summary>
public sealed class BertEncoder : nn.Module<Tensor, Tensor, Tensor>
{
    public BertEmbeddings embeddings;
    public BertStack encoder;
    public BertConfig Config { get; }

    public BertEncoder(BertConfig config) : base(nameof(BertEncoder))
    {
        Config = config.Validate();
        bool initialise = !SkipInit.Active;           // not when a checkpoint's weights are about to be loaded
        using (SkipInit.Scope())
        {
            embeddings = new BertEmbeddings(config);
            encoder = new BertStack(config);
        }
        RegisterComponents();
        if (!initialise) return;
        InitialWeights.Normal(this, config.InitializerRange);
        using (no_grad()) embeddings.word_embeddings.weight![0].zero_();      // the padding row, as padding_idx 0
    }

    /// <summary>Hidden states [B, T, hidden] for ids [B, T] with attention mask [B, T] (1 token, 0 padding).</summary>
    public override Tensor forward(Tensor ids, Tensor attentionMask)
    {
        long t = ids.size(1);
        if (t > Config.MaxPositionEmbeddings)
            throw new ArgumentException($"sequence of {t} tokens exceeds max_position_embeddings " +
                $"{Config.MaxPositionEmbeddings}");
        using var scope = NewDisposeScope();
        var x = embeddings.forward(ids);                                                          // [B, T, H]
        var allowed = Masks.keys(attentionMask);                                                  // [B, 1, 1, T]
        foreach (var block in encoder.layer) x = block.forward(x, allowed);
        if (encoder.final_layer_norm is { } final) x = final.forward(x);
        return x.MoveToOuterDisposeScope();
    }
}

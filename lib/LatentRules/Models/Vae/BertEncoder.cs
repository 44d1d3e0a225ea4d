using LatentRules.Torch;
using static LatentRules.Torch.torch;
using F = LatentRules.Torch.torch.nn.functional;

namespace LatentRules.Models.Vae;

/// <summary>
/// A BERT encoder (post-LN blocks as BERT, or pre-LN with a final LayerNorm by config; GELU FFN, learned positions and segment embeddings). Field names follow the
/// Hugging Face checkpoint (embeddings.word_embeddings.weight, encoder.layer.0.attention.self.query.weight, ...),
/// so bert-base-cased weights load by name where a user has them.
/// </summary>
public sealed class BertEncoder : nn.Module
{
    public sealed class Embeddings(BertConfig c) : nn.Module
    {
        public nn.Embedding word_embeddings = new(c.VocabSize, c.HiddenSize, padding_idx: 0);
        public nn.Embedding position_embeddings = new(c.MaxPositionEmbeddings, c.HiddenSize);
        public nn.Embedding token_type_embeddings = new(c.TypeVocabSize, c.HiddenSize);
        public nn.LayerNorm LayerNorm = new(c.HiddenSize, c.LayerNormEps);
        public nn.Dropout dropout = new(c.HiddenDropout);
    }

    public sealed class SelfAttention(BertConfig c) : nn.Module
    {
        public nn.Linear query = new(c.HiddenSize, c.HiddenSize), key = new(c.HiddenSize, c.HiddenSize), value = new(c.HiddenSize, c.HiddenSize);
    }

    /// <summary>A projection back to the model width followed by LayerNorm (after attention and after the FFN).</summary>
    public sealed class DenseNorm(int inputs, BertConfig c) : nn.Module
    {
        public nn.Linear dense = new(inputs, c.HiddenSize);
        public nn.LayerNorm LayerNorm = new(c.HiddenSize, c.LayerNormEps);
    }

    public sealed class Attention(BertConfig c) : nn.Module
    {
        public SelfAttention self = new(c);
        public DenseNorm output = new(c.HiddenSize, c);
    }

    public sealed class Intermediate(BertConfig c) : nn.Module
    {
        public nn.Linear dense = new(c.HiddenSize, c.IntermediateSize);
    }

    public sealed class Layer(BertConfig c) : nn.Module
    {
        public Attention attention = new(c);
        public Intermediate intermediate = new(c);
        public DenseNorm output = new(c.IntermediateSize, c);
    }

    public sealed class Stack(BertConfig c) : nn.Module
    {
        public nn.ModuleList<Layer> layer = new(Enumerable.Range(0, c.NumHiddenLayers).Select(_ => new Layer(c)));
        /// <summary>Pre-LN only: the LayerNorm after the last block.</summary>
        public nn.LayerNorm? final_layer_norm = c.PreLayerNorm ? new(c.HiddenSize, c.LayerNormEps) : null;
    }

    public Embeddings embeddings;
    public Stack encoder;
    public BertConfig Config { get; }
    private readonly nn.Dropout _hiddenDropout;   // found by reflection like any submodule, so train()/eval() reach it

    public BertEncoder(BertConfig config)
    {
        Config = config.Validate();
        embeddings = new Embeddings(config);
        encoder = new Stack(config);
        _hiddenDropout = new nn.Dropout(config.HiddenDropout);
    }

    /// <summary>Hidden states [B, T, hidden] for ids [B, T] with attention mask [B, T] (1 token, 0 padding).</summary>
    public Tensor forward(Tensor ids, Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        long b = ids.size(0), t = ids.size(1);
        if (t > Config.MaxPositionEmbeddings)
            throw new ArgumentException($"sequence of {t} tokens exceeds max_position_embeddings {Config.MaxPositionEmbeddings}");
        int heads = Config.NumAttentionHeads, d = Config.HiddenSize / heads;
        var positions = arange(t, device: ids.device).unsqueeze(0);                                  // [1, T]
        var segments = zeros_like(ids);
        var x = embeddings.word_embeddings.forward(ids) + embeddings.position_embeddings.forward(positions)
                + embeddings.token_type_embeddings.forward(segments);                                // [B, T, H]
        x = embeddings.dropout.forward(embeddings.LayerNorm.forward(x));
        var padding = F.padding_mask(attentionMask);                                                 // [B, 1, 1, T]
        bool train = training;
        bool pre = Config.PreLayerNorm;
        foreach (var layer in encoder.layer)
        {
            // Post-LN (BERT): x = LN(x + sublayer(x)). Pre-LN: x = x + sublayer(LN(x)), same LayerNorm modules.
            var o = layer.attention.output;
            var h = pre ? o.LayerNorm.forward(x) : x;                                                // [B, T, H]
            Tensor Heads(nn.Linear proj) => proj.forward(h).view(b, t, heads, d).transpose(1, 2);    // [B, heads, T, d]
            var sa = layer.attention.self;
            var attended = F.scaled_dot_product_attention(Heads(sa.query), Heads(sa.key), Heads(sa.value), padding,
                dropout_p: Config.AttentionDropout, training: train);                               // [B, heads, T, d]
            var merged = attended.transpose(1, 2).reshape(b, t, Config.HiddenSize);                   // [B, T, H]
            x = x + _hiddenDropout.forward(o.dense.forward(merged));
            if (!pre) x = o.LayerNorm.forward(x);
            h = pre ? layer.output.LayerNorm.forward(x) : x;
            var ffn = layer.output.dense.forward(layer.intermediate.dense.forward(h).gelu(Config.HiddenAct == "gelu" ? "none" : "tanh"));
            x = x + _hiddenDropout.forward(ffn);
            if (!pre) x = layer.output.LayerNorm.forward(x);
        }
        if (encoder.final_layer_norm is { } final) x = final.forward(x);
        return x.MoveToOuterDisposeScope();
    }
}

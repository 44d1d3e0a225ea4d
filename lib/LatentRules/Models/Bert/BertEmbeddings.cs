using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LatentRules.Models.Bert;

/// <summary>
/// Word + learned position + segment embeddings, LayerNorm, dropout (Hugging Face's BertEmbeddings names).
/// </summary>
public sealed class BertEmbeddings : nn.Module<Tensor, Tensor>
{
    public Embedding word_embeddings, position_embeddings, token_type_embeddings;
    public LayerNorm LayerNorm;
    public Dropout dropout;

    public BertEmbeddings(BertConfig c) : base(nameof(BertEmbeddings))
    {
        word_embeddings = nn.Embedding(c.VocabSize, c.HiddenSize, padding_idx: 0);
        position_embeddings = nn.Embedding(c.MaxPositionEmbeddings, c.HiddenSize);
        token_type_embeddings = nn.Embedding(c.TypeVocabSize, c.HiddenSize);
        LayerNorm = nn.LayerNorm(c.HiddenSize, c.LayerNormEps);
        dropout = nn.Dropout(c.HiddenDropout);
        RegisterComponents();
    }

    /// <summary>ids [B, T] -> [B, T, H]; every token is in segment 0.</summary>
    public override Tensor forward(Tensor ids)
    {
        using var scope = NewDisposeScope();
        var positions = arange(ids.size(1), device: ids.device).unsqueeze(0);                       // [1, T]
        var x = word_embeddings.forward(ids) + position_embeddings.forward(positions)
                + token_type_embeddings.forward(zeros_like(ids));                                  // [B, T, H]
        return dropout.forward(LayerNorm.forward(x)).MoveToOuterDisposeScope();
    }
}

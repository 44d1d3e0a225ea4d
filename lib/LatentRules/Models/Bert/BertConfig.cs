using System.Text.Json.Serialization;

namespace LatentRules.Models.Bert;

/// <summary>
/// A BERT-style encoder's shape, with Hugging Face config.json names. Defaults are a CPU-sized model;
/// <see cref="BertBaseCased"/> is the published runs' encoder.
/// </summary>
public sealed record BertConfig
{
    // token embeddings rows
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; } = 1000;
    // model width (768 in bert-base)
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; init; } = 64;
    // blocks (12)
    [JsonPropertyName("num_hidden_layers")] public int NumHiddenLayers { get; init; } = 2;
    // heads (12)
    [JsonPropertyName("num_attention_heads")] public int NumAttentionHeads { get; init; } = 4;
    // GELU FFN width (3072)
    [JsonPropertyName("intermediate_size")] public int IntermediateSize { get; init; } = 128;
    // learned positions (512)
    [JsonPropertyName("max_position_embeddings")] public int MaxPositionEmbeddings { get; init; } = 256;
    // segment ids
    [JsonPropertyName("type_vocab_size")] public int TypeVocabSize { get; init; } = 2;
    // BERT's LayerNorm epsilon
    [JsonPropertyName("layer_norm_eps")] public double LayerNormEps { get; init; } = 1e-12;
    // dropout on sublayer outputs
    [JsonPropertyName("hidden_dropout_prob")] public double HiddenDropout { get; init; } = 0.1;
    // dropout on attention weights
    [JsonPropertyName("attention_probs_dropout_prob")] public double AttentionDropout { get; init; } = 0.1;
    // standard deviation of the initial linear and embedding weights (bert-base-cased: 0.02)
    [JsonPropertyName("initializer_range")] public double InitializerRange { get; init; } = 0.02;
    // exact (erf) GELU
    [JsonPropertyName("hidden_act")] public string HiddenAct { get; init; } = "gelu";
    // Not a BERT field: true puts each LayerNorm before its sublayer (pre-LN) and adds a final LayerNorm; BERT is
    // post-LN.
    [JsonPropertyName("pre_layer_norm")] public bool PreLayerNorm { get; init; }

    public static BertConfig BertBaseCased => new()
    {
        VocabSize = 28_996, HiddenSize = 768, NumHiddenLayers = 12, NumAttentionHeads = 12, IntermediateSize = 3072,
        MaxPositionEmbeddings = 512,
    };

    public BertConfig Validate()
    {
        if (HiddenSize % NumAttentionHeads != 0)
            throw new ArgumentException($"hidden_size {HiddenSize} is not divisible by num_attention_heads " +
                $"{NumAttentionHeads}");
        if (HiddenAct is not ("gelu" or "gelu_new"))
            throw new ArgumentException($"hidden_act '{HiddenAct}' is not supported (gelu or gelu_new)");
        return this;
    }
}

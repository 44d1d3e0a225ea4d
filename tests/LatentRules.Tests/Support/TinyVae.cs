using LatentRules.Models.Bert;
using LatentRules.Models.Qwen2;
using LatentRules.Models.Vae;

namespace LatentRules.Tests.Support;

/// <summary>The smallest VAE the experiment tests train: two-layer encoder and decoder of width 16, latent 4, lambda
/// 20.</summary>
public static class TinyVae
{
    public static VaeConfig Config => new()
    {
        RuleWeight = 20, LatentSize = 4,
        Encoder = new BertConfig { HiddenSize = 16, NumHiddenLayers = 2, NumAttentionHeads = 2, IntermediateSize = 24 },
        Decoder = Qwen2Config.Tiny() with
        {
            HiddenSize = 16,
            IntermediateSize = 24,
            NumAttentionHeads = 2,
            NumKeyValueHeads = 1
        },
    };

    /// <summary>
    /// A small test VAE: a BERT encoder of <paramref name="encoderLayers"/> layers and Qwen2's tiny decoder, both of
    /// width <paramref name="hidden"/>, <paramref name="heads"/> heads and MLP width <paramref name="intermediate"/>,
    /// the decoder with <paramref name="kvHeads"/> key-value heads; the rest as <see cref="VaeConfig"/>'s defaults.
    /// </summary>
    public static VaeConfig Sized(int vocab, int hidden, int encoderLayers, int heads, int intermediate,
        int kvHeads) => new()
        {
            Encoder = new BertConfig
            {
                VocabSize = vocab, HiddenSize = hidden, NumHiddenLayers = encoderLayers, NumAttentionHeads = heads,
                IntermediateSize = intermediate,
            },
            Decoder = Qwen2Config.Tiny(vocab: vocab) with
            {
                HiddenSize = hidden,
                IntermediateSize = intermediate,
                NumAttentionHeads = heads,
                NumKeyValueHeads = kvHeads,
            },
        };
}

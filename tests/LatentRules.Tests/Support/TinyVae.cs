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
}

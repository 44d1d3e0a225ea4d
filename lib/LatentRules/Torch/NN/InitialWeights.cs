using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LatentRules.Torch.NN;

/// <summary>
/// Hugging Face's initialisation of Transformer weights trained from scratch (`_init_weights` of Qwen2 and BERT):
/// every linear weight and embedding table N(0, std) with std the config's initializer_range (0.02 for Qwen2.5 and
/// bert-base-cased), linear biases 0; norms keep their ones and zeros. TorchSharp's defaults differ, and it matters:
/// an N(0, 1) embedding table tied to the LM head gives logits of standard deviation about sqrt(hidden), so an
/// untrained decoder's loss is many times ln(vocabulary) instead of about ln(vocabulary).
/// </summary>
public static class InitialWeights
{
    /// <summary>Draws the weights of every <see cref="LoraLinear"/> and <see cref="Embedding"/> in
    /// <paramref name="root"/> (itself included) from the current torch generator.</summary>
    public static void Normal(nn.Module root, double std)
    {
        if (!(std > 0)) throw new ArgumentOutOfRangeException(nameof(std), std, "initializer_range must be positive");
        using var _ = no_grad();
        foreach (var module in new[] { root }.Concat(root.modules()))
            switch (module)
            {
                case LoraLinear linear:
                    nn.init.normal_(linear.weight, 0, std);
                    if (linear.bias is not null) nn.init.zeros_(linear.bias);
                    break;
                case Embedding embedding:
                    nn.init.normal_(embedding.weight!, 0, std);
                    break;
            }
    }
}

using LatentRules.Torch;
using LatentRules.Torch.NN;
using TorchSharp;
using static TorchSharp.torch;

namespace LatentRules.Training;

/// <summary>
/// Which parts of a VAE train, for the Qwen2.5 experiments where most of the decoder stays frozen: parameter-name
/// prefixes for <see cref="TrainerConfig.TrainOnly"/>, and LoRA adapters on chosen projections.
/// <code>
/// var lora = FineTuning.AddLora(vae.decoder, new[] { "q_proj", "v_proj" }, r: 8, alpha: 16, prefix: "decoder.");
/// var config = recipe.For(steps: 300, seed: 1) with { TrainOnly = FineTuning.VaeParts.Concat(lora).ToList() };
/// var ffnOnly = FineTuning.DecoderLayers("mlp", layers: new[] { 10, 11 });
/// </code>
/// </summary>
public static class FineTuning
{
    /// <summary>The VAE's own new parts: encoder, latent projection, injection maps and rule heads.</summary>
    public static readonly IReadOnlyList<string> VaeParts =
        new[] { "encoder.", "to_latent.", "injection.", "rule_classifier.", "rule_embedding." };

    /// <summary>The encoder side, which stage 1 of the study trains: encoder, the map to z, the rule
    /// classifier.</summary>
    public static readonly IReadOnlyList<string> EncoderSide = new[] { "encoder.", "to_latent.", "rule_classifier." };

    /// <summary>
    /// Prefixes of one part ("mlp" for the FFN, "self_attn" for attention) of the given decoder layers (all
    /// layers of <paramref name="layerCount"/> when <paramref name="layers"/> is null).
    /// </summary>
    public static IReadOnlyList<string> DecoderLayers(string part, IEnumerable<int>? layers = null, int layerCount = 0)
    {
        if (part is not ("mlp" or "self_attn"))
            throw new ArgumentException($"part must be 'mlp' (FFN) or 'self_attn' (attention), got '{part}'");
        var chosen = layers?.ToList() ?? Enumerable.Range(0, layerCount).ToList();
        if (chosen.Count == 0) throw new ArgumentException("no decoder layers chosen");
        return chosen.Select(l => $"decoder.model.layers.{l}.{part}.").ToList();
    }

    /// <summary>
    /// Adds a LoRA adapter (rank r, scale alpha / r) to every LoraLinear whose field name is one of
    /// <paramref name="targets"/> (e.g. q_proj, v_proj) inside <paramref name="root"/>; returns the adapters'
    /// parameter names (with <paramref name="prefix"/>, the root's own name in a larger model) for TrainOnly.
    /// </summary>
    public static IReadOnlyList<string> AddLora(nn.Module root, IReadOnlyCollection<string> targets, int r = 8,
        double alpha = 16, string prefix = "")
    {
        var names = new List<string>();
        foreach (var (name, module) in root.named_modules().ToList())
        {
            if (module is not LoraLinear linear) continue;
            string field = name[(name.LastIndexOf('.') + 1)..];
            if (!targets.Contains(field)) continue;
            linear.add_lora(r, alpha);
            names.Add($"{prefix}{name}.lora_A.weight");
            names.Add($"{prefix}{name}.lora_B.weight");
        }
        if (names.Count == 0)
            throw new ArgumentException($"no LoraLinear named {string.Join(" or ", targets)} in the module");
        return names;
    }

    /// <summary>
    /// Folds every LoRA adapter under <paramref name="root"/> into its weight; returns how many were merged.
    /// </summary>
    public static int MergeLora(nn.Module root)
    {
        int merged = 0;
        foreach (var (_, module) in root.named_modules().ToList())
            if (module is LoraLinear { lora_A: not null } linear) { linear.merge_lora(); merged++; }
        return merged;
    }
}

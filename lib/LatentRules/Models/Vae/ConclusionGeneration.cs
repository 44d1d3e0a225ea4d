using LatentRules.Data;
using LatentRules.Models.Qwen2;
using LatentRules.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace LatentRules.Models.Vae;

/// <summary>
/// Conclusions a VAE writes for reasoning examples, in batches (<see cref="EvalBatches"/>) on the model's device: from
/// each example's own posterior mean (how a trained model is scored) or from latents the caller chooses (e.g. a rule's
/// mean z, to steer).
/// </summary>
public static class ConclusionGeneration
{
    /// <summary>
    /// One conclusion per item from z = the posterior mean of its encoder input and the mode's prompt (greedy unless
    /// <paramref name="options"/> say otherwise).
    /// </summary>
    public static List<string> FromPosteriors(LanguageVae vae, VaeExamples examples,
        IReadOnlyList<ReasoningExample> items, GenerationConfig? options = null)
    {
        var result = new List<string>(items.Count);
        EvalBatches.ForEach(vae, examples.Build(items), examples.PadIds, (start, batch) =>
        {
            var mu = vae.Encode(batch.EncoderIds, batch.EncoderMask).mu;                          // [b, latent]
            var prompts = items.Skip(start).Take(batch.Count).Select(examples.Prompt).ToList();
            var rules = vae.rule_embedding is null ? null : batch.Rules;
            result.AddRange(Decode(vae, examples, prompts, mu, rules, options));
        });
        return result;
    }

    /// <summary>
    /// One conclusion per item from the given z rows [items, latent], the decoder given the item's premises
    /// (<see cref="VaeExamples.PremisePrompt"/>) and, when the model takes a rule label, <paramref name="rules"/>[i].
    /// </summary>
    public static List<string> FromLatents(LanguageVae vae, VaeExamples examples, IReadOnlyList<ReasoningExample> items,
        double[,] z,
        IReadOnlyList<int>? rules = null, GenerationConfig? options = null)
    {
        if (z.GetLength(0) != items.Count)
            throw new ArgumentException($"z has {z.GetLength(0)} rows for {items.Count} items");
        if (vae.rule_embedding is not null && (rules is null || rules.Count != items.Count))
            throw new ArgumentException($"this VAE gives the rule to the decoder: pass one rule label per item " +
                $"({items.Count}), got {rules?.Count ?? 0}");
        var result = new List<string>(items.Count);
        var device = vae.Device();
        EvalBatches.ForEach(vae, items.Count, (start, b) =>
        {
            var rows = new double[b, z.GetLength(1)];
            for (int i = 0; i < b; i++)
                for (int k = 0; k < z.GetLength(1); k++) rows[i, k] = z[start + i, k];
            var zb = tensor(rows, device: device);                                                // [b, latent]
            var labels = rules is null || vae.rule_embedding is null ? null
                : tensor(rules.Skip(start).Take(b).Select(r => (long)r).ToArray(), device: device);   // [b]
            var prompts = items.Skip(start).Take(b).Select(examples.PremisePrompt).ToList();
            result.AddRange(Decode(vae, examples, prompts, zb, labels, options));
        });
        return result;
    }

    private static IEnumerable<string> Decode(LanguageVae vae, VaeExamples examples, IReadOnlyList<int[]> prompts,
        Tensor z, Tensor? rules, GenerationConfig? options) =>
        VaeDecoding.Decode(vae, z, prompts, examples.Tokenizer.EosId, options, rules, examples.Tokenizer.PadId)
            .Select(examples.Conclusion);
}

using LatentRules.Data;
using LatentRules.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace LatentRules.Models.Vae;

/// <summary>
/// Conclusions a VAE writes for reasoning examples, in batches of 64 on the model's device: from each example's own
/// posterior mean (how a trained model is scored) or from latents the caller chooses (e.g. a rule's mean z, to steer).
/// </summary>
public static class ConclusionGeneration
{
    private const int BatchSize = 64;

    /// <summary>One conclusion per item from z = the posterior mean of its encoder input and the mode's prompt (greedy unless <paramref name="options"/> say otherwise).</summary>
    public static List<string> FromPosteriors(LanguageVae vae, VaeExamples examples, IReadOnlyList<ReasoningExample> items, DecodeOptions? options = null)
    {
        var result = new List<string>(items.Count);
        using var mode = EvalMode.Of(vae);
        for (int start = 0; start < items.Count; start += BatchSize)
        {
            using var scope = NewDisposeScope();
            var chunk = items.Skip(start).Take(BatchSize).ToList();
            using var batch = new VaeBatch(examples.Build(chunk), examples.PadIds, vae.Device());
            Tensor mu;
            using (no_grad()) mu = vae.Encode(batch.EncoderIds, batch.EncoderMask).mu;          // [b, latent]
            result.AddRange(Decode(vae, examples, chunk.Select(examples.Prompt).ToList(), mu, vae.rule_embedding is null ? null : batch.Rules, options));
        }
        return result;
    }

    /// <summary>
    /// One conclusion per item from the given z rows [items, latent], the decoder given the item's premises
    /// (<see cref="VaeExamples.PremisePrompt"/>) and, when the model takes a rule label, <paramref name="rules"/>[i].
    /// </summary>
    public static List<string> FromLatents(LanguageVae vae, VaeExamples examples, IReadOnlyList<ReasoningExample> items, double[,] z,
        IReadOnlyList<int>? rules = null, DecodeOptions? options = null)
    {
        if (z.GetLength(0) != items.Count) throw new ArgumentException($"z has {z.GetLength(0)} rows for {items.Count} items");
        if (vae.rule_embedding is not null && (rules is null || rules.Count != items.Count))
            throw new ArgumentException($"this VAE gives the rule to the decoder: pass one rule label per item ({items.Count}), got {rules?.Count ?? 0}");
        var result = new List<string>(items.Count);
        var device = vae.Device();
        for (int start = 0; start < items.Count; start += BatchSize)
        {
            using var scope = NewDisposeScope();
            int b = Math.Min(BatchSize, items.Count - start);
            var rows = new double[b, z.GetLength(1)];
            for (int i = 0; i < b; i++)
                for (int k = 0; k < z.GetLength(1); k++) rows[i, k] = z[start + i, k];
            var zb = tensor(rows, device: device);                                                // [b, latent]
            var labels = rules is null || vae.rule_embedding is null ? null
                : tensor(rules.Skip(start).Take(b).Select(r => (long)r).ToArray(), device: device);   // [b]
            var prompts = items.Skip(start).Take(b).Select(examples.PremisePrompt).ToList();
            result.AddRange(Decode(vae, examples, prompts, zb, labels, options));
        }
        return result;
    }

    private static IEnumerable<string> Decode(LanguageVae vae, VaeExamples examples, IReadOnlyList<int[]> prompts, Tensor z, Tensor? rules, DecodeOptions? options) =>
        VaeDecoding.Decode(vae, z, prompts, examples.Tokenizer.EosId, options, rules, examples.Tokenizer.PadId).Select(examples.Conclusion);
}

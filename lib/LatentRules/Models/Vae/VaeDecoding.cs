using LatentRules.Models.Qwen2;
using LatentRules.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace LatentRules.Models.Vae;

/// <summary>
/// Generation from a <see cref="LanguageVae"/>'s decoder conditioned on z, for any injection mode: greedy and
/// sampling run batched with the KV cache (z reaches every step through the per-layer latents and the
/// embedding shift); beam search runs one example at a time with its beams as the batch, recomputing the
/// prefix at each step (short sequences; no cache reordering needed).
/// </summary>
public static class VaeDecoding
{
    /// <summary>
    /// Continues each prompt (token ids, e.g. [BOS] for autoencoding or [BOS] premises [SEP] for inference) under
    /// z [B, latent]; returns the new ids per row without the end token. The stop and pad tokens are
    /// <paramref name="eosId"/> and <paramref name="padId"/> (the config's are not read).
    /// </summary>
    public static List<int[]> Decode(LanguageVae vae, Tensor z, IReadOnlyList<int[]> prompts, int eosId,
        GenerationConfig? options = null, Tensor? rules = null, int padId = 0)
    {
        var o = (options ?? new GenerationConfig()) with { StopTokens = new[] { (long)eosId }, PadToken = padId };
        if (z.dim() != 2 || z.size(0) != prompts.Count)
            throw new ArgumentException($"z must be [{prompts.Count}, latent] for {prompts.Count} prompts, got " +
                $"[{string.Join(", ", z.shape)}]");
        if (o.MaxNewTokens < 1) throw new ArgumentException($"MaxNewTokens must be at least 1, got {o.MaxNewTokens}");
        using var mode = EvalMode.Of(vae);
        var weight = vae.to_latent.weight;
        // e.g. float64 values from an analysis
        using var zModel = z.to(weight.dtype, weight.device);
        z = zModel;
        using var noGrad = no_grad();
        if (o.Strategy == GenerationStrategy.Beam)
            return prompts.Select((p, r) =>
            {
                using var scope = NewDisposeScope();
                return Beam(vae, z.narrow(0, r, 1), p, eosId, o, rules?.narrow(0, r, 1));
            }).ToList();
        using var outer = NewDisposeScope();
        var latents = vae.injection.Layers(z);
        var shift = vae.rule_embedding is null ? null
            // [B, 1, hidden]
            : vae.rule_embedding.forward(rules
                ?? throw new ArgumentException("this VAE gives the rule to the decoder: pass rules")).unsqueeze(1);
        var longPrompts = prompts.Select(p => p.Select(x => (long)x).ToArray()).ToList();
        var ids = Generation.Generate(vae.decoder, longPrompts, o, latents,
            embeds => shift is null ? vae.injection.Embed(embeds, z) : vae.injection.Embed(embeds, z) + shift);
        return ids.Select(row => row.Select(x => (int)x).ToArray()).ToList();
    }

    /// <summary>
    /// Beam search for one example: z [1, latent]; the best finished hypothesis by length-normalised log p.
    /// </summary>
    private static int[] Beam(LanguageVae vae, Tensor z, int[] prompt, int eosId, GenerationConfig o, Tensor? rule)
    {
        if (o.BeamWidth < 1) throw new ArgumentException($"BeamWidth must be at least 1, got {o.BeamWidth}");
        var beams = new List<(List<int> ids, double logp)> { (new List<int>(), 0.0) };
        var finished = new List<(List<int> ids, double score)>();
        double Score(double logp, int length) => logp / System.Math.Pow(System.Math.Max(1, length), o.LengthPenalty);
        for (int step = 0; step < o.MaxNewTokens && beams.Count > 0; step++)
        {
            using var scope = NewDisposeScope();
            int w = beams.Count, t = prompt.Length + step;
            var flat = beams.SelectMany(b => prompt.Concat(b.ids)).Select(x => (long)x).ToArray();
            var ids = tensor(flat, new long[] { w, t }, device: z.device);                     // [W, T]
            var mask = ones(new long[] { w, t }, ScalarType.Int64, z.device);
            var zw = z.expand(w, z.size(1));                                                  // [W, latent]
            var logits = vae.DecodeLogits(zw, ids, mask, rule?.expand(w));                    // [W, T, V]
            var logProbs = logits.select(1, -1).log_softmax(-1).to(ScalarType.Float64);       // [W, V]
            long vocab = logProbs.size(1);
            // [W, V]
            var total = logProbs + tensor(beams.Select(b => b.logp).ToArray(), device: z.device).unsqueeze(1);
            int k = (int)System.Math.Min(2L * o.BeamWidth, w * vocab);
            var (values, indices) = total.reshape(-1).topk(k);                                // [W*V] -> [k]
            var scores = values.ToArray<double>();
            var picks = indices.ToArray<long>();
            var next = new List<(List<int> ids, double logp)>();
            for (int j = 0; j < k && next.Count < o.BeamWidth; j++)
            {
                int from = (int)(picks[j] / vocab), token = (int)(picks[j] % vocab);
                var ids2 = new List<int>(beams[from].ids);
                if (token == eosId) finished.Add((ids2, Score(scores[j], ids2.Count + 1)));
                else next.Add((ids2.Append(token).ToList(), scores[j]));
            }
            beams = next;
            // Stop once the best unfinished beam cannot beat the best finished one (scores only fall as log p grows
            // more negative).
            if (finished.Count >= o.BeamWidth && o.LengthPenalty == 0
                && beams.All(b => b.logp <= finished.Max(f => f.score))) break;
        }
        foreach (var b in beams) finished.Add((b.ids, Score(b.logp, b.ids.Count)));
        return finished.OrderByDescending(f => f.score).First().ids.ToArray();
    }
}

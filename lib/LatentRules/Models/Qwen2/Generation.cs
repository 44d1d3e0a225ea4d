using LatentRules.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace LatentRules.Models.Qwen2;

/// <summary>Batched generation with a KV cache; prompts are left-padded so every row ends at the same column.</summary>
public static class Generation
{
    /// <summary>
    /// Continues each prompt; returns only the new tokens per row (without the stop token). An optional
    /// per-layer latent (the VAE's z) conditions every step.
    /// </summary>
    public static List<long[]> Generate(Qwen2ForCausalLM lm, IReadOnlyList<long[]> prompts, GenerationConfig options,
        IReadOnlyList<AttentionLatent?>? latents = null, Func<Tensor, Tensor>? embedHook = null)
    {
        if (prompts.Count == 0) return new List<long[]>();
        if (prompts.Any(p => p.Length == 0)) throw new ArgumentException("every prompt needs at least one token");
        if (options.Strategy == GenerationStrategy.Beam)
            throw new ArgumentException(
                "Generation.Generate picks tokens greedily or by sampling; beam search is VaeDecoding's");
        var device = lm.model.embed_tokens.weight!.device;
        int width = prompts.Max(p => p.Length), rows = prompts.Count;
        var ids = new long[rows * width];
        var mask = new long[rows * width];
        for (int r = 0; r < rows; r++)
            for (int k = 0; k < prompts[r].Length; k++)
            {
                int col = width - prompts[r].Length + k;                                     // left padding
                ids[r * width + col] = prompts[r][k];
                mask[r * width + col] = 1;
            }

        manual_seed(options.Seed);
        var output = Enumerable.Range(0, rows).Select(_ => new List<long>()).ToArray();
        var done = new bool[rows];
        using var noGrad = no_grad();
        using var cache = lm.NewCache();
        var input = tensor(ids, new long[] { rows, width }, device: device).DetachFromDisposeScope();
        var attention = tensor(mask, new long[] { rows, width }, device: device).DetachFromDisposeScope();
        try
        {
            for (int step = 0; step < options.MaxNewTokens && !done.All(d => d); step++)
            {
                using var scope = NewDisposeScope();
                Tensor? embeds = embedHook?.Invoke(lm.model.embed_tokens.forward(input));
                // [B, T, V]
                var logits = lm.forward(embeds is null ? input : null, embeds, attention, cache, latents);
                var last = logits.select(1, -1);                                                               // [B, V]
                var next = Pick(last, options).ToArray<long>();
                for (int r = 0; r < rows; r++)
                {
                    if (done[r]) { next[r] = options.PadToken; continue; }
                    if (options.StopTokens?.Contains(next[r]) == true) { done[r] = true; continue; }
                    output[r].Add(next[r]);
                }
                input.Dispose();
                input = tensor(next, new long[] { rows, 1 }, device: device).DetachFromDisposeScope();
                var grown = cat(new[] { attention, ones(new long[] { rows, 1 }, ScalarType.Int64, device) }, 1);
                attention.Dispose();
                attention = grown.DetachFromDisposeScope();
            }
        }
        finally
        {
            input.Dispose();
            attention.Dispose();
        }
        return output.Select(o => o.ToArray()).ToList();
    }

    /// <summary>Next token per row from logits [B, V]: argmax, or a sample after temperature / top-k / top-p.</summary>
    public static Tensor Pick(Tensor logits, GenerationConfig o)
    {
        if (o.Strategy == GenerationStrategy.Greedy) return logits.argmax(-1);
        if (o.Temperature <= 0) throw new ArgumentException($"sampling needs Temperature > 0, got {o.Temperature}");
        using var scope = NewDisposeScope();
        var scaled = logits.to(ScalarType.Float32).div(o.Temperature);
        if (o.TopK > 0 && o.TopK < scaled.size(-1))
        {
            var kth = scaled.topk(o.TopK).values.narrow(-1, o.TopK - 1, 1);                  // [B, 1]
            scaled = scaled.masked_fill(scaled.lt(kth), double.NegativeInfinity);
        }
        if (o.TopP < 1.0)
        {
            var (sorted, order) = scaled.sort(-1, descending: true);
            var cumulative = sorted.softmax(-1).cumsum(-1);
            // Drop a token when the tokens before it already reach top_p (the first token always stays).
            var drop = (cumulative - sorted.softmax(-1)).ge(o.TopP);
            var dropInOriginalOrder = zeros_like(drop).to(ScalarType.Bool).scatter(-1, order, drop);
            scaled = scaled.masked_fill(dropInOriginalOrder, double.NegativeInfinity);
        }
        return scaled.softmax(-1).multinomial(1).squeeze(-1).MoveToOuterDisposeScope();
    }
}

namespace LatentRules.Models.Qwen2;

/// <summary>How tokens are picked at each step (Hugging Face's decoding strategies).</summary>
public enum GenerationStrategy
{
    /// <summary>The most likely token.</summary>
    Greedy,
    /// <summary>A draw from the softmax of logits / temperature, after top-k and top-p.</summary>
    Sample,
    /// <summary>Beam search: the best finished hypothesis by length-normalised log p.</summary>
    Beam,
}

/// <summary>
/// How to generate (Hugging Face's GenerationConfig): one record for greedy decoding, sampling and beam search, used
/// by <see cref="Generation.Generate"/> and by the VAE's decoding. The defaults are greedy, at most 64 new tokens.
/// Fields of another strategy are ignored (a greedy run reads no temperature).
/// </summary>
public sealed record GenerationConfig(
    GenerationStrategy Strategy = GenerationStrategy.Greedy,
    int MaxNewTokens = 64,                        // stop after this many new tokens
    double Temperature = 1.0,                     // sampling: logits / temperature (> 0)
    int TopK = 0,                                 // sampling: keep the k most likely tokens (0: all)
    double TopP = 1.0,                            // sampling: keep the smallest set with cumulative probability >= p
    int BeamWidth = 4,                            // beam search: hypotheses kept per step
    double LengthPenalty = 1.0,                   // beam search: finished scores are log p / length^penalty (0: raw)
    IReadOnlyCollection<long>? StopTokens = null, // a row ends when it emits one of these (VAE decoding: its EOS)
    long PadToken = 0,                            // fills rows that have ended (VAE decoding: its tokenizer's pad)
    long Seed = 0);                               // seeds sampling

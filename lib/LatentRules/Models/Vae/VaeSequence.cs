namespace LatentRules.Models.Vae;

/// <summary>
/// One training example for the VAE as token ids. The encoder reads <see cref="Encoder"/>; the decoder reads
/// <see cref="Decoder"/> with teacher forcing and is scored only after its first <see cref="PromptLength"/>
/// tokens. Autoencoding: both are the whole example and the prompt is BOS. Inference: the encoder reads the
/// premises, the decoder is given the premises as its prompt and predicts the conclusion.
/// </summary>
public sealed record VaeSequence(
    int[] Encoder,          // ids the encoder reads, e.g. [BOS] premises [EOS]
    int[] Decoder,          // ids the decoder reads and predicts, starting with BOS and ending with EOS
    int PromptLength = 1,   // leading decoder tokens given, not predicted (1: only BOS)
    int? Rule = null)       // rule label for supervision
{
    /// <summary>Autoencoding: the same ids in and out, everything after BOS predicted.</summary>
    public static VaeSequence Autoencode(int[] ids, int? rule = null) => new(ids, ids, 1, rule);

    /// <summary>Throws when the ids cannot form a training example.</summary>
    public VaeSequence Validate()
    {
        if (Encoder.Length == 0) throw new ArgumentException("the encoder sequence is empty");
        if (PromptLength < 1)
            throw new ArgumentException($"the prompt must hold at least BOS, got length {PromptLength}");
        if (Decoder.Length <= PromptLength)
            throw new ArgumentException($"the decoder sequence ({Decoder.Length} ids) has nothing to predict after " +
                $"its {PromptLength}-id prompt");
        return this;
    }
}

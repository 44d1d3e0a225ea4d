namespace LatentRules.Models.Vae;

/// <summary>
/// The ids that fill a batch's rows after their end: the encoder's and the decoder's, which differ when each side
/// has its own tokenizer (bert-base-cased's [PAD] is 0, Qwen's &lt;|endoftext|&gt; is 151,643). Masks hide them; they
/// only have to be ids the embedding tables hold. One int converts to the same id on both sides.
/// </summary>
public readonly record struct PadIds(int Encoder, int Decoder)
{
    public static implicit operator PadIds(int id) => new(id, id);
}

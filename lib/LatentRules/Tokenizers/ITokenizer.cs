namespace LatentRules.Tokenizers;

/// <summary>What the models need from a tokenizer: text to ids and back, and the special ids.</summary>
public interface ITokenizer
{
    /// <summary>Number of ids (one more than the largest), the size of an embedding table for this tokenizer.</summary>
    int VocabSize { get; }
    /// <summary>Id used to pad batches.</summary>
    int PadId { get; }
    /// <summary>Id that starts a sequence, where the tokenizer has one (Qwen has none).</summary>
    int? BosId { get; }
    /// <summary>Id that ends a sequence (generation stops there).</summary>
    int EosId { get; }

    /// <summary>
    /// Ids of <paramref name="text"/>; with <paramref name="addSpecialTokens"/>, also the tokens the tokenizer puts
    /// around a sequence.
    /// </summary>
    int[] Encode(string text, bool addSpecialTokens = false);
    string Decode(IEnumerable<int> ids, bool skipSpecialTokens = false);
}

public static class TokenizerExtensions
{
    /// <summary>
    /// Encodes each text and pads the ids into one rectangular batch with the tokenizer's padding id.
    /// </summary>
    public static PaddedBatch EncodeBatch(this ITokenizer tokenizer, IEnumerable<string> texts,
        bool addSpecialTokens = false,
        PaddingSide side = PaddingSide.Right) =>
        PaddedBatch.Pad(texts.Select(t => tokenizer.Encode(t, addSpecialTokens)).ToList(), tokenizer.PadId, side);
}

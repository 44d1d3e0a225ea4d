using Microsoft.ML.Tokenizers;

namespace LatentRules.Tokenizers;

/// <summary>
/// The Qwen split as a Microsoft.ML.Tokenizers pre-tokenizer: added tokens that are matched after normalisation come
/// out whole (the library's BPE then gives them their ids), the text between them is split by
/// <see cref="QwenPreTokenizer"/>. The library's RegexPreTokenizer with the same pattern is not used: .NET's Regex
/// reads UTF-16 units, so a letter outside the Basic Multilingual Plane is not \p{L} and, followed by punctuation and a
/// letter ("a𐀀.b"), is split differently from the Hugging Face tokenizers, and the ids differ (this folder's
/// README).
/// </summary>
internal sealed class QwenSplit : PreTokenizer
{
    private readonly AddedTokenMatcher _added;

    public QwenSplit(AddedTokenMatcher normalizedAddedTokens) => _added = normalizedAddedTokens;

    public override IEnumerable<(int Offset, int Length)> PreTokenize(string text)
    {
        for (int pos = 0; pos < text.Length;)
        {
            int at = _added.Find(text, pos, text.Length, out int length, out _);
            int stop = at < 0 ? text.Length : at;
            for (int i = pos; i < stop;)
            {
                int end = QwenPreTokenizer.MatchEnd(text, i, stop);
                yield return (i, end - i);
                i = end;
            }
            if (at < 0) yield break;
            yield return (at, length);
            pos = at + length;
        }
    }

    public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text) =>
        PreTokenize(text.ToString());
}

namespace LatentRules.Tokenizers;

/// <summary>
/// An added token of tokenizer.json (e.g. &lt;|im_start|&gt;): recognised in the text before pre-tokenization and
/// given its id whole. <see cref="Special"/> tokens are the ones Decode(skipSpecialTokens: true) leaves out;
/// <see cref="Normalized"/> ones are looked for after normalisation, the others in the raw text.
/// </summary>
public sealed record AddedToken(int Id, string Content, bool Special, bool Normalized);

/// <summary>
/// Leftmost-longest search for a set of added tokens (what the Hugging Face tokenizers do with Aho-Corasick).
/// </summary>
internal sealed class AddedTokenMatcher
{
    private readonly Dictionary<char, (string text, int id)[]> _byFirstChar;   // longest first

    public AddedTokenMatcher(IEnumerable<(string text, int id)> tokens) =>
        _byFirstChar = tokens.Where(t => t.text.Length > 0).GroupBy(t => t.text[0])
            .ToDictionary(g => g.Key, g => g.OrderByDescending(t => t.text.Length).ToArray());

    public bool IsEmpty => _byFirstChar.Count == 0;

    /// <summary>Index of the first added token in s[from..end], its length and id; -1 if there is none.</summary>
    public int Find(string s, int from, int end, out int length, out int id)
    {
        if (!IsEmpty)
            for (int i = from; i < end; i++)
            {
                if (!_byFirstChar.TryGetValue(s[i], out var candidates)) continue;
                foreach (var (text, tokenId) in candidates)
                    if (i + text.Length <= end && string.CompareOrdinal(s, i, text, 0, text.Length) == 0)
                    {
                        (length, id) = (text.Length, tokenId);
                        return i;
                    }
            }
        (length, id) = (0, -1);
        return -1;
    }
}

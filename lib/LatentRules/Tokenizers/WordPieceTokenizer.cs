using System.Globalization;
using System.Text;

namespace LatentRules.Tokenizers;

/// <summary>
/// BERT's tokenizer from a vocab.txt (one token per line, the line number is the id), as Hugging Face's fast
/// tokenizer (BertNormalizer, BertPreTokenizer, WordPiece) does it: the basic tokenizer (drop control characters,
/// every whitespace to a space, spaces around CJK ideographs, split on whitespace and around
/// punctuation; lower-casing and accent stripping only for uncased vocabularies), then WordPiece (longest known prefix
/// first, continuations marked "##", a word with an unknown piece or over 100 characters becomes [UNK]). The special
/// tokens [PAD], [UNK], [CLS], [SEP], [MASK] are kept whole where they appear in the text; with special tokens a
/// sequence is [CLS] ... [SEP].
/// </summary>
public sealed class WordPieceTokenizer : ITokenizer
{
    private const int MaxWordLength = 100;
    private static readonly string[] Specials = { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]" };

    private readonly string[] _tokens;
    private readonly Dictionary<string, int> _ids;

    /// <summary>Whether text is lower-cased and stripped of accents first (bert-base-uncased: true; -cased: false).</summary>
    public bool LowerCase { get; }
    public int VocabSize => _tokens.Length;
    public int PadId { get; }
    public int UnknownId { get; }
    /// <summary>[CLS], which starts a sequence.</summary>
    public int? BosId { get; }
    /// <summary>[SEP], which ends one.</summary>
    public int EosId { get; }

    public WordPieceTokenizer(IReadOnlyList<string> vocabulary, bool lowerCase = false, string source = "vocabulary")
    {
        _tokens = vocabulary.ToArray();
        _ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int id = 0; id < _tokens.Length; id++)
        {
            if (_tokens[id].Length == 0) throw new InvalidDataException($"{source}: line {id + 1} is empty (every line is a token)");
            if (!_ids.TryAdd(_tokens[id], id)) throw new InvalidDataException($"{source}: line {id + 1} repeats the token '{_tokens[id]}' of line {_ids[_tokens[id]] + 1}");
        }
        int Required(string token) => _ids.TryGetValue(token, out int id) ? id
            : throw new InvalidDataException($"{source}: the special token {token} is missing");
        PadId = Required("[PAD]"); UnknownId = Required("[UNK]"); BosId = Required("[CLS]"); EosId = Required("[SEP]");
        LowerCase = lowerCase;
    }

    /// <summary>Reads a vocab.txt (UTF-8, one token per line; a final newline is optional).</summary>
    public static WordPieceTokenizer Load(string path, bool lowerCase = false)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"vocabulary not found: {path}", path);
        var lines = File.ReadAllText(path, Encoding.UTF8).Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        if (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        return new WordPieceTokenizer(lines, lowerCase, path);
    }

    /// <summary>The token of an id.</summary>
    public string this[int id] => _tokens[id];

    public int[] Encode(string text, bool addSpecialTokens = false)
    {
        var ids = new List<int>();
        if (addSpecialTokens) ids.Add(BosId!.Value);
        foreach (var word in BasicTokens(text))
        {
            if (Array.IndexOf(Specials, word) >= 0 && _ids.TryGetValue(word, out int special)) { ids.Add(special); continue; }
            AddPieces(word, ids);
        }
        if (addSpecialTokens) ids.Add(EosId);
        return ids.ToArray();
    }

    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = false)
    {
        var text = new StringBuilder();
        foreach (int id in ids)
        {
            if (id < 0 || id >= _tokens.Length) throw new ArgumentOutOfRangeException(nameof(ids), $"id {id} is outside the vocabulary (0..{_tokens.Length - 1})");
            string token = _tokens[id];
            if (skipSpecialTokens && Array.IndexOf(Specials, token) >= 0) continue;
            if (token.StartsWith("##", StringComparison.Ordinal) && text.Length > 0) text.Append(token, 2, token.Length - 2);
            else { if (text.Length > 0) text.Append(' '); text.Append(token); }
        }
        // Hugging Face's clean-up of the spaces the join put before punctuation and English contractions.
        return text.Replace(" .", ".").Replace(" ?", "?").Replace(" !", "!").Replace(" ,", ",").Replace(" ' ", "'")
            .Replace(" n't", "n't").Replace(" 'm", "'m").Replace(" 's", "'s").Replace(" 've", "'ve").Replace(" 're", "'re").ToString();
    }

    /// <summary>Greedy longest-match WordPiece of one word; an unmatchable word is one [UNK].</summary>
    private void AddPieces(string word, List<int> ids)
    {
        var starts = new List<int>();                                     // code point boundaries (surrogate pairs stay whole)
        for (int i = 0; i < word.Length; i += char.IsSurrogatePair(word, i) ? 2 : 1) starts.Add(i);
        if (starts.Count > MaxWordLength) { ids.Add(UnknownId); return; }
        starts.Add(word.Length);
        int first = ids.Count, at = 0;
        while (at < starts.Count - 1)
        {
            int end = starts.Count - 1, found = -1;
            for (; end > at; end--)
            {
                string piece = word[starts[at]..starts[end]];
                if (at > 0) piece = "##" + piece;
                if (_ids.TryGetValue(piece, out found)) break;
                found = -1;
            }
            if (found < 0) { ids.RemoveRange(first, ids.Count - first); ids.Add(UnknownId); return; }
            ids.Add(found);
            at = end;
        }
    }

    /// <summary>BERT's basic tokenizer: words and punctuation marks.</summary>
    internal IEnumerable<string> BasicTokens(string text)
    {
        var cleaned = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i += char.IsSurrogatePair(text, i) ? 2 : 1)
        {
            int cp = char.ConvertToUtf32(text, i);
            if (cp == 0 || cp == 0xFFFD || IsControl(cp)) continue;
            if (IsWhitespace(cp)) { cleaned.Append(' '); continue; }
            if (IsCjk(cp)) { cleaned.Append(' ').Append(char.ConvertFromUtf32(cp)).Append(' '); continue; }
            cleaned.Append(char.ConvertFromUtf32(cp));
        }
        foreach (var raw in cleaned.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (Array.IndexOf(Specials, raw) >= 0) { yield return raw; continue; }
            string word = LowerCase ? StripAccents(raw.ToLowerInvariant()) : raw;
            var current = new StringBuilder();
            for (int i = 0; i < word.Length; i += char.IsSurrogatePair(word, i) ? 2 : 1)
            {
                int cp = char.ConvertToUtf32(word, i);
                if (IsPunctuation(cp))
                {
                    if (current.Length > 0) { yield return current.ToString(); current.Clear(); }
                    yield return char.ConvertFromUtf32(cp);
                }
                else current.Append(char.ConvertFromUtf32(cp));
            }
            if (current.Length > 0) yield return current.ToString();
        }
    }

    private static string StripAccents(string text)
    {
        var result = new StringBuilder(text.Length);
        foreach (char c in text.Normalize(NormalizationForm.FormD))
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark) result.Append(c);
        return result.ToString();
    }

    /// <summary>Unicode's White_Space property (line and paragraph separators too), as the Rust/JS tokenizers have it.</summary>
    private static bool IsWhitespace(int cp) => cp < 0x10000 && char.IsWhiteSpace((char)cp);

    private static bool IsControl(int cp)
    {
        if (cp is '\t' or '\n' or '\r') return false;
        var category = CharUnicodeInfo.GetUnicodeCategory(cp);
        return category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.OtherNotAssigned
            or UnicodeCategory.PrivateUse or UnicodeCategory.Surrogate;
    }

    /// <summary>ASCII symbols count as punctuation (as in BERT), and every Unicode P* category.</summary>
    private static bool IsPunctuation(int cp)
    {
        if (cp is >= 33 and <= 47 or >= 58 and <= 64 or >= 91 and <= 96 or >= 123 and <= 126) return true;
        return CharUnicodeInfo.GetUnicodeCategory(cp) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;
    }

    /// <summary>The CJK Unified Ideographs blocks (not Hiragana, Katakana or Hangul, which BERT leaves in words).</summary>
    private static bool IsCjk(int cp) =>
        cp is >= 0x4E00 and <= 0x9FFF or >= 0x3400 and <= 0x4DBF or >= 0x20000 and <= 0x2A6DF or >= 0x2A700 and <= 0x2B73F
            or >= 0x2B740 and <= 0x2B81F or >= 0x2B820 and <= 0x2CEAF or >= 0xF900 and <= 0xFAFF or >= 0x2F800 and <= 0x2FA1F;
}

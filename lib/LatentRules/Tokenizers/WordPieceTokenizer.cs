using System.Globalization;
using System.Text;
using Ml = Microsoft.ML.Tokenizers;

namespace LatentRules.Tokenizers;

/// <summary>
/// BERT's tokenizer from a vocab.txt (one token per line, the line number is the id), as Hugging Face's fast
/// tokenizer (BertNormalizer, BertPreTokenizer, WordPiece) does it: the special tokens [PAD], [UNK], [CLS], [SEP],
/// [MASK] are found first, wherever they are in the text; the rest goes through the basic tokenizer (drop control
/// characters, every whitespace to a space, spaces around CJK ideographs, split on whitespace and around punctuation;
/// lower-casing and accent stripping only for uncased vocabularies), then WordPiece (longest known prefix first,
/// continuations marked "##", a word with an unknown piece or over 100 characters becomes [UNK]), which is
/// Microsoft.ML.Tokenizers' <see cref="Ml.WordPieceTokenizer"/>. The library's BertTokenizer is not used for the basic
/// step: it drops symbols such as + ^ $ and every character outside the Basic Multilingual Plane (this folder's
/// README). With special tokens a sequence is [CLS] ... [SEP].
/// </summary>
public sealed class WordPieceTokenizer : ITokenizer
{
    private const int MaxWordLength = 100;
    private static readonly string[] Specials = { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]" };

    private readonly string[] _tokens;
    private readonly Dictionary<string, int> _ids;
    private readonly Ml.WordPieceTokenizer _pieces;
    private readonly AddedTokenMatcher _specials;

    /// <summary>
    /// Whether text is lower-cased and stripped of accents first (bert-base-uncased: true; -cased: false).
    /// </summary>
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
            if (_tokens[id].Length == 0)
                throw new InvalidDataException($"{source}: line {id + 1} is empty (every line is a token)");
            // The library reads the vocabulary line by line, and a lone \r ends a line there.
            if (_tokens[id].Contains('\r'))
                throw new InvalidDataException($"{source}: line {id + 1} contains a carriage return");
            if (!_ids.TryAdd(_tokens[id], id))
                throw new InvalidDataException($"{source}: line {id + 1} repeats the token '{_tokens[id]}' of line " +
                    $"{_ids[_tokens[id]] + 1}");
        }
        int Required(string token) => _ids.TryGetValue(token, out int id) ? id
            : throw new InvalidDataException($"{source}: the special token {token} is missing");
        PadId = Required("[PAD]"); UnknownId = Required("[UNK]"); BosId = Required("[CLS]"); EosId = Required("[SEP]");
        LowerCase = lowerCase;
        _specials = new AddedTokenMatcher(Specials.Where(_ids.ContainsKey).Select(t => (t, _ids[t])));
        // Words come to the library one at a time, already split; MaxWordLength is checked here, in code points (the
        // library counts UTF-16 units, so 100 characters outside the BMP are 200).
        using var vocab = new MemoryStream(Encoding.UTF8.GetBytes(string.Join('\n', _tokens)));
        _pieces = Ml.WordPieceTokenizer.Create(vocab, new Ml.WordPieceOptions
        {
            UnknownToken = "[UNK]", ContinuingSubwordPrefix = "##", MaxInputCharsPerWord = 2 * MaxWordLength,
        });
    }

    /// <summary>Reads a vocab.txt (UTF-8, one token per line; a final newline is optional).</summary>
    public static WordPieceTokenizer Load(string path, bool lowerCase = false)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"vocabulary not found: {path}", path);
        string text;
        try { text = File.ReadAllText(path, new UTF8Encoding(false, throwOnInvalidBytes: true)); }
        catch (DecoderFallbackException e)
        {
            throw new InvalidDataException($"{path}: not valid UTF-8 ({e.Message})", e);
        }
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        if (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        return new WordPieceTokenizer(lines, lowerCase, path);
    }

    /// <summary>The token of an id.</summary>
    public string this[int id] => _tokens[id];

    public int[] Encode(string text, bool addSpecialTokens = false)
    {
        var ids = new List<int>();
        if (addSpecialTokens) ids.Add(BosId!.Value);
        text = CodePoints.ReplaceLoneSurrogates(text);     // U+FFFD, which the basic tokenizer drops
        for (int pos = 0; ;)
        {
            int at = _specials.Find(text, pos, text.Length, out int length, out int special);
            foreach (var word in BasicTokens(text[pos..(at < 0 ? text.Length : at)]))
                if (CodePointCount(word) > MaxWordLength) ids.Add(UnknownId);
                else ids.AddRange(
                    _pieces.EncodeToIds(word, considerPreTokenization: false, considerNormalization: false));
            if (at < 0) break;
            ids.Add(special);
            pos = at + length;
        }
        if (addSpecialTokens) ids.Add(EosId);
        return ids.ToArray();
    }

    private static int CodePointCount(string word)
    {
        int count = word.Length;
        for (int i = 0; i + 1 < word.Length; i++) if (char.IsSurrogatePair(word[i], word[i + 1])) count--;
        return count;
    }

    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = false)
    {
        var text = new StringBuilder();
        foreach (int id in ids)
        {
            if (id < 0 || id >= _tokens.Length)
                throw new ArgumentOutOfRangeException(nameof(ids),
                    $"id {id} is outside the vocabulary (0..{_tokens.Length - 1})");
            string token = _tokens[id];
            if (skipSpecialTokens && Array.IndexOf(Specials, token) >= 0) continue;
            if (token.StartsWith("##", StringComparison.Ordinal) && text.Length > 0)
                text.Append(token, 2, token.Length - 2);
            else { if (text.Length > 0) text.Append(' '); text.Append(token); }
        }
        // Hugging Face's clean-up of the spaces the join put before punctuation and English contractions.
        return text.Replace(" .", ".").Replace(" ?", "?").Replace(" !", "!").Replace(" ,", ",").Replace(" ' ", "'")
            .Replace(" n't", "n't").Replace(" 'm", "'m").Replace(" 's", "'s").Replace(" 've", "'ve")
            .Replace(" 're", "'re").ToString();
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
            string word = LowerCase ? StripAccents(LowerInvariant(raw)) : raw;
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

    // Unicode's full lower-casing, as Rust and JavaScript do it: .NET's simple mapping leaves U+0130 (İ) as it is,
    // where the full one gives i + U+0307 (then accent stripping makes it i).
    private static string LowerInvariant(string text) => text.Replace("\u0130", "i\u0307").ToLowerInvariant();

    private static string StripAccents(string text)
    {
        var result = new StringBuilder(text.Length);
        foreach (char c in text.Normalize(NormalizationForm.FormD))
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark) result.Append(c);
        return result.ToString();
    }

    /// <summary>
    /// Unicode's White_Space property (line and paragraph separators too), as the Rust/JS tokenizers have it.
    /// </summary>
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
        return CharUnicodeInfo.GetUnicodeCategory(cp) is UnicodeCategory.ConnectorPunctuation
            or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation
            or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;
    }

    /// <summary>
    /// The CJK Unified Ideographs blocks (not Hiragana, Katakana or Hangul, which BERT leaves in words).
    /// </summary>
    private static bool IsCjk(int cp) =>
        cp is >= 0x4E00 and <= 0x9FFF or >= 0x3400 and <= 0x4DBF or >= 0x20000 and <= 0x2A6DF
            or >= 0x2A700 and <= 0x2B73F
            or >= 0x2B740 and <= 0x2B81F or >= 0x2B820 and <= 0x2CEAF or >= 0xF900 and <= 0xFAFF
            or >= 0x2F800 and <= 0x2FA1F;
}

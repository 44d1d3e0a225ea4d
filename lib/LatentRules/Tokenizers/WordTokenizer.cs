using System.Text;
using System.Text.Json;
using LatentRules.Torch.Serialization;

namespace LatentRules.Tokenizers;

/// <summary>
/// A word-level vocabulary built from a corpus, for the small from-scratch models: words and punctuation
/// marks are tokens; ids 0..4 are the special tokens [PAD], [BOS], [EOS], [UNK], [SEP]. Deterministic: words
/// ordered by descending frequency, then ordinally. Saved and loaded as JSON (<c>{"type": "word-level", "words":
/// [...]}</c>). With <c>keepSpacing</c>, a word that touches the one before it (no space between) is stored with the
/// prefix <see cref="Glue"/> (<c>\log{(x)}</c> is <c>\log ##{ ##( ##x ##) ##}</c>), so decoding gives back the text
/// exactly, up to runs of whitespace becoming one space: generated LaTeX and sentences compare equal to their
/// references.
/// </summary>
public sealed class WordTokenizer : ITokenizer
{
    public static readonly string[] Specials = { "[PAD]", "[BOS]", "[EOS]", "[UNK]", "[SEP]" };
    public const int Pad = 0, Bos = 1, Eos = 2, Unk = 3, Sep = 4;
    internal const string FileType = "word-level";

    /// <summary>Prefix of a word written directly after the previous one (with keepSpacing).</summary>
    public const string Glue = "##";

    private readonly List<string> _words;
    private readonly Dictionary<string, int> _ids;

    /// <summary>True when words record whether a space came before them (decoding restores the spacing).</summary>
    public bool KeepSpacing { get; }

    private WordTokenizer(List<string> words, bool keepSpacing = false, string? path = null)
    {
        _words = words;
        KeepSpacing = keepSpacing;
        _ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int k = 0; k < words.Count; k++)
            if (!_ids.TryAdd(words[k], k))
                throw new InvalidDataException($"{(path is null ? "" : path + ": ")}word '{words[k]}' appears twice " +
                    $"in the vocabulary (ids {_ids[words[k]]} and {k})");
    }

    public int VocabSize => _words.Count;
    public int PadId => Pad;
    public int? BosId => Bos;
    public int EosId => Eos;
    public IReadOnlyList<string> Words => _words;

    public int? TokenToId(string word) => _ids.TryGetValue(word, out int id) ? id : null;
    public string IdToToken(int id) => id >= 0 && id < _words.Count ? _words[id]
        : throw new ArgumentOutOfRangeException(nameof(id), id, $"id outside the vocabulary (0..{_words.Count - 1})");

    /// <summary>
    /// The words of <paramref name="text"/> (NFC): LaTeX commands (\frac); runs of letters and digits with their
    /// combining marks, and an apostrophe ending inside them (it's); any other non-space character alone. Works on
    /// code points, so letters and emoji outside the Basic Multilingual Plane stay whole.
    /// </summary>
    public static IEnumerable<string> SplitWords(string text) => Spans(text).Select(w => w.word);

    /// <summary>
    /// The words of <paramref name="text"/> as <see cref="SplitWords"/> gives them, each with whether it touches the
    /// word before.
    /// </summary>
    public static IEnumerable<(string word, bool glued)> Spans(string text)
    {
        string s = CodePoints.ReplaceLoneSurrogates(text).Normalize(NormalizationForm.FormC);
        int n = s.Length, previousEnd = -1;
        for (int i = 0; i < n;)
        {
            int c = CodePoints.At(s, i, n, out int w);
            var kind = CodePoints.Kind(c);
            if (kind == CharKind.Space) { i += w; continue; }
            int end = i + w;
            if (c == '\\' && end < n && char.IsAsciiLetter(s[end]))
                while (end < n && char.IsAsciiLetter(s[end])) end++;
            else if (kind is CharKind.Letter or CharKind.Number)
            {
                end = WordEnd(s, end, allowDigits: true);
                if (end + 1 < n && s[end] == '\''
                    && CodePoints.Kind(CodePoints.At(s, end + 1, n, out _)) == CharKind.Letter)
                    end = WordEnd(s, end + 1, allowDigits: false);
            }
            else end = MarksEnd(s, end);
            yield return (s[i..end], previousEnd == i);
            previousEnd = end;
            i = end;
        }
    }

    /// <summary>
    /// The tokens of a text: its words, with <see cref="Glue"/> before touching ones when spacing is kept.
    /// </summary>
    private IEnumerable<string> Tokens(string text) =>
        KeepSpacing ? Spans(text).Select(w => w.glued ? Glue + w.word : w.word) : SplitWords(text);

    // End of the run of letters (and digits) with combining marks that continues at j.
    private static int WordEnd(string s, int j, bool allowDigits)
    {
        while (j < s.Length)
        {
            int c = CodePoints.At(s, j, s.Length, out int w);
            var kind = CodePoints.Kind(c);
            if (!(kind == CharKind.Letter || (allowDigits && kind == CharKind.Number) || CodePoints.IsCombiningMark(c)))
                break;
            j += w;
        }
        return j;
    }

    private static int MarksEnd(string s, int j)
    {
        while (j < s.Length && CodePoints.IsCombiningMark(CodePoints.At(s, j, s.Length, out int w))) j += w;
        return j;
    }

    /// <summary>
    /// Builds a vocabulary from <paramref name="corpus"/>: words seen at least minFrequency times, at most maxSize ids
    /// in all (specials included).
    /// </summary>
    public static WordTokenizer Build(IEnumerable<string> corpus, int minFrequency = 1, int maxSize = 50_000,
        bool keepSpacing = false)
    {
        if (maxSize <= Specials.Length)
            throw new ArgumentException($"maxSize must exceed the {Specials.Length} special tokens");
        if (minFrequency < 1) throw new ArgumentException("minFrequency must be at least 1");
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var splitter = new WordTokenizer(Specials.ToList(), keepSpacing);
        foreach (var line in corpus)
            foreach (var w in splitter.Tokens(line))
                counts[w] = counts.GetValueOrDefault(w) + 1;
        var words = Specials.ToList();
        words.AddRange(counts.Where(kv => kv.Value >= minFrequency)
            .OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Take(maxSize - Specials.Length).Select(kv => kv.Key));
        return new WordTokenizer(words, keepSpacing);
    }

    /// <summary>
    /// Word ids ([UNK] for words outside the vocabulary); with <paramref name="addSpecialTokens"/>, [BOS] ... [EOS].
    /// </summary>
    public int[] Encode(string text, bool addSpecialTokens = false)
    {
        var ids = new List<int>();
        if (addSpecialTokens) ids.Add(Bos);
        foreach (var w in Tokens(text)) ids.Add(_ids.TryGetValue(w, out int id) ? id : Unk);
        if (addSpecialTokens) ids.Add(Eos);
        return ids.ToArray();
    }

    /// <summary>[BOS] text [EOS], or [BOS] a [SEP] b ... [EOS] for several segments.</summary>
    public int[] EncodeSegments(params string[] segments)
    {
        var ids = new List<int> { Bos };
        for (int k = 0; k < segments.Length; k++)
        {
            if (k > 0) ids.Add(Sep);
            ids.AddRange(Encode(segments[k]));
        }
        ids.Add(Eos);
        return ids.ToArray();
    }

    /// <summary>Words joined by spaces; with keepSpacing, touching words are joined without one.</summary>
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = false)
    {
        var sb = new StringBuilder();
        foreach (int id in ids)
        {
            if (skipSpecialTokens && id >= 0 && id < Specials.Length) continue;
            string w = IdToToken(id);
            bool glued = KeepSpacing && w.Length > Glue.Length && w.StartsWith(Glue, StringComparison.Ordinal);
            if (sb.Length > 0 && !glued) sb.Append(' ');
            sb.Append(glued ? w[Glue.Length..] : w);
        }
        return sb.ToString();
    }

    /// <summary>Writes the vocabulary as JSON, atomically (a temporary file renamed over the target).</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, KeepSpacing
        ? JsonSerializer.Serialize(new { type = FileType, keep_spacing = true, words = _words })
        : JsonSerializer.Serialize(new { type = FileType, words = _words }));

    public static WordTokenizer Load(string path)
    {
        using var doc = TokenizerFile.Parse(path);
        return FromJson(doc.RootElement, path);
    }

    internal static WordTokenizer FromJson(JsonElement root, string path)
    {
        if (!root.TryGetProperty("type", out var t) || t.ValueKind != JsonValueKind.String || t.GetString() != FileType)
            throw new InvalidDataException($"{path}: not a word-level tokenizer (field 'type' must be \"{FileType}\")");
        if (!root.TryGetProperty("words", out var w) || w.ValueKind != JsonValueKind.Array)
            throw new InvalidDataException($"{path}: field 'words' (an array of strings) is missing");
        var words = w.EnumerateArray().Select((e, k) => e.ValueKind == JsonValueKind.String ? e.GetString()!
            : throw new InvalidDataException($"{path}: words[{k}] is not a string")).ToList();
        for (int k = 0; k < Specials.Length; k++)
            if (k >= words.Count || words[k] != Specials[k])
                throw new InvalidDataException($"{path}: words[{k}] must be {Specials[k]}");
        bool keepSpacing = false;
        if (root.TryGetProperty("keep_spacing", out var ks))
            keepSpacing = ks.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw new InvalidDataException($"{path}: field 'keep_spacing' must be true or false"),
            };
        return new WordTokenizer(words, keepSpacing, path);
    }
}

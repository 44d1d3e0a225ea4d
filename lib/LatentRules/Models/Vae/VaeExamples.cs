using LatentRules.Data;
using LatentRules.Tokenizers;

namespace LatentRules.Models.Vae;

/// <summary>What the decoder learns to produce.</summary>
public enum TargetMode
{
    /// <summary>Reconstruct the whole example (premises, task fields, conclusion) from z.</summary>
    Autoencoding,
    /// <summary>
    /// Produce the conclusion from z and the premises (by default the encoder reads only the premises).
    /// </summary>
    Inference,
}

/// <summary>
/// Turns reasoning examples into VAE token sequences and generated ids back into conclusions (the sequences only:
/// <see cref="ConclusionGeneration"/> generates, <see cref="PosteriorEncoding"/> encodes). The input of an
/// example is its premises followed by its variable (math) as separate segments; segments are joined by
/// the tokenizer's separator ([SEP] for the word and WordPiece tokenizers, " ; " otherwise).
/// <code>
/// Autoencoding  encoder: [BOS] p1 [SEP] p2 [SEP] c [EOS]     decoder: same, prompt [BOS]
/// Inference     encoder: [BOS] p1 [SEP] p2 [EOS]             decoder: [BOS] p1 [SEP] p2 [SEP] | c [EOS]  (prompt
/// before |) </code>
/// The encoder may have a tokenizer of its own (a pretrained bert-base-cased reads WordPiece ids, [CLS] p1 [SEP] p2
/// [SEP] c [SEP], while a pretrained Qwen2.5 decoder writes byte-level BPE ids); by default both sides share one.
/// The study's encoder reads premises and conclusion; in inference mode that is <c>encoderReadsConclusion</c>.
/// It is off by default here: then z can be computed for a new step whose conclusion is unknown, and a
/// generated conclusion is not the encoder's conclusion copied through z. With <c>encoderRuleText</c> the encoder
/// input starts with the words that name the rule where the data carries them (math's published lines begin
/// "performing differentiation for ..."): <c>[BOS] rule text [SEP] p1 ...</c>; the decoder's sequence is unchanged.
/// </summary>
public sealed class VaeExamples
{
    private readonly TokenSide _encoder, _decoder;
    private readonly Func<ReasoningExample, string>? _encoderRuleText;
    private readonly Dictionary<string, int> _ruleLabels;

    /// <param name="tokenizer">the decoder's tokenizer (and the encoder's, unless <paramref name="encoderTokenizer"/>
    /// is given)</param>
    /// <param name="mode">autoencoding or inference</param>
    /// <param name="rules">rule labels in classifier order (their index is the label)</param>
    /// <param name="encoderReadsConclusion">inference mode: the encoder also reads the conclusion (the study's
    /// setting); off by default</param>
    /// <param name="encoderRuleText">when given, the encoder first reads this text of each example's rule (see
    /// <see cref="IReasoningTask.RuleText"/>)</param>
    /// <param name="encoderTokenizer">the encoder's own tokenizer, e.g. bert-base-cased's WordPiece</param>
    public VaeExamples(ITokenizer tokenizer, TargetMode mode, IReadOnlyList<string> rules,
        bool encoderReadsConclusion = false,
        Func<ReasoningExample, string>? encoderRuleText = null, ITokenizer? encoderTokenizer = null)
    {
        _encoderRuleText = encoderRuleText;
        Tokenizer = tokenizer;
        EncoderTokenizer = encoderTokenizer ?? tokenizer;
        Mode = mode;
        Rules = rules;
        EncoderReadsConclusion = encoderReadsConclusion;
        _decoder = new TokenSide(tokenizer);
        _encoder = encoderTokenizer is null ? _decoder : new TokenSide(encoderTokenizer);
        _ruleLabels = rules.Select((r, k) => (r, k)).ToDictionary(x => x.r, x => x.k);
    }

    /// <summary>The decoder's tokenizer: prompts, targets and generated conclusions.</summary>
    public ITokenizer Tokenizer { get; }
    /// <summary>The encoder's tokenizer (the decoder's unless one was given).</summary>
    public ITokenizer EncoderTokenizer { get; }
    public TargetMode Mode { get; }
    public IReadOnlyList<string> Rules { get; }
    public bool EncoderReadsConclusion { get; }
    public bool EncoderReadsRuleText => _encoderRuleText is not null;
    /// <summary>Padding ids of the two sides, for <see cref="VaeBatch"/>.</summary>
    public PadIds PadIds => new(EncoderTokenizer.PadId, Tokenizer.PadId);

    /// <summary>The input segments of an example: its premises, then its variable when it has one.</summary>
    public static IReadOnlyList<string> InputSegments(ReasoningExample e) =>
        e.Field("variable") is { } v ? e.Premises.Append(v).ToList() : e.Premises;

    /// <summary>The rule label of an example (its index in <see cref="Rules"/>).</summary>
    public int RuleLabel(ReasoningExample e) =>
        _ruleLabels.TryGetValue(e.Rule, out int k) ? k
            : throw new ArgumentException($"{e.Id}: rule '{e.Rule}' is not one of {string.Join(", ", Rules)}");

    public VaeSequence Build(ReasoningExample e)
    {
        var segments = InputSegments(e);
        var whole = _decoder.Bracketed(_decoder.Joined(segments.Append(e.Conclusion).ToList()));
        var encoder = _encoder.Joined(Mode == TargetMode.Autoencoding || EncoderReadsConclusion
            ? segments.Append(e.Conclusion).ToList() : segments);
        if (_encoderRuleText is not null)
            encoder =
                _encoder.Tokenizer.Encode(_encoderRuleText(e)).Concat(_encoder.Separator).Concat(encoder).ToArray();
        var encoderIds = _encoder.Bracketed(encoder);
        if (Mode == TargetMode.Autoencoding) return new VaeSequence(encoderIds, whole, 1, RuleLabel(e));
        var prompt = Prompt(e);
        return new VaeSequence(encoderIds,
            prompt.Concat(Tokenizer.Encode(e.Conclusion)).Append(Tokenizer.EosId).ToArray(),
            prompt.Length, RuleLabel(e));
    }

    public List<VaeSequence> Build(IEnumerable<ReasoningExample> examples) => examples.Select(Build).ToList();

    /// <summary>The decoder's prompt for generation: [BOS] (autoencoding) or [BOS] input [SEP] (inference).</summary>
    public int[] Prompt(ReasoningExample e) =>
        Mode == TargetMode.Autoencoding ? new[] { _decoder.StartId } : PremisePrompt(e);

    /// <summary>
    /// [BOS] input [SEP] in either mode: the decoder is given the example's premises and writes the conclusion (in
    /// autoencoding mode the premises are forced as the start of the reconstruction), e.g. to steer it with another z.
    /// </summary>
    public int[] PremisePrompt(ReasoningExample e) =>
        new[] { _decoder.StartId }.Concat(_decoder.Joined(InputSegments(e))).Concat(_decoder.Separator).ToArray();

    /// <summary>
    /// The conclusion inside generated ids: everything after the last separator (autoencoding) or all of it
    /// (inference).
    /// </summary>
    public string Conclusion(int[] generated)
    {
        int start = 0;
        var separator = _decoder.Separator;
        if (Mode == TargetMode.Autoencoding)
            for (int i = generated.Length - separator.Length; i >= 0; i--)
                if (generated.AsSpan(i, separator.Length).SequenceEqual(separator))
                {
                    start = i + separator.Length;
                    break;
                }
        return Tokenizer.Decode(generated[start..], skipSpecialTokens: true);
    }

    /// <summary>One side's tokenizer with its start id and segment separator.</summary>
    private sealed class TokenSide
    {
        public TokenSide(ITokenizer tokenizer)
        {
            Tokenizer = tokenizer;
            StartId = tokenizer.BosId ?? tokenizer.EosId;
            Separator = tokenizer switch
            {
                WordTokenizer => new[] { WordTokenizer.Sep },
                // BERT's [SEP] between segments
                WordPieceTokenizer w => new[] { w.EosId },
                _ => tokenizer.Encode(" ; "),
            };
        }

        public ITokenizer Tokenizer { get; }
        public int StartId { get; }
        public int[] Separator { get; }

        public int[] Joined(IReadOnlyList<string> segments)
        {
            var ids = new List<int>();
            for (int k = 0; k < segments.Count; k++)
            {
                if (k > 0) ids.AddRange(Separator);
                ids.AddRange(Tokenizer.Encode(segments[k]));
            }
            return ids.ToArray();
        }

        public int[] Bracketed(IEnumerable<int> ids) => new[] { StartId }.Concat(ids).Append(Tokenizer.EosId).ToArray();
    }
}

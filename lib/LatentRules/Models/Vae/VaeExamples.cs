using LatentRules.Data;
using LatentRules.Tokenizers;

namespace LatentRules.Models.Vae;

/// <summary>What the decoder learns to produce.</summary>
public enum TargetMode
{
    /// <summary>Reconstruct the whole example (premises, task fields, conclusion) from z.</summary>
    Autoencoding,
    /// <summary>Produce the conclusion from z and the premises (by default the encoder reads only the premises).</summary>
    Inference,
}

/// <summary>
/// Turns reasoning examples into VAE token sequences and generated ids back into conclusions (the sequences only:
/// <see cref="ConclusionGeneration"/> generates, <see cref="PosteriorEncoding"/> encodes). The input of an
/// example is its premises followed by its variable (math) as separate segments; segments are joined by
/// the tokenizer's separator ([SEP] for the word tokenizer, " ; " otherwise).
/// <code>
/// Autoencoding  encoder: [BOS] p1 [SEP] p2 [SEP] c [EOS]     decoder: same, prompt [BOS]
/// Inference     encoder: [BOS] p1 [SEP] p2 [EOS]             decoder: [BOS] p1 [SEP] p2 [SEP] | c [EOS]  (prompt before |)
/// </code>
/// The study's encoder reads premises and conclusion; in inference mode that is <c>encoderReadsConclusion</c>.
/// It is off by default here: then z can be computed for a new step whose conclusion is unknown, and a
/// generated conclusion is not the encoder's conclusion copied through z. With <c>encoderRuleText</c> the encoder
/// input starts with the words that name the rule where the data carries them (math's published lines begin
/// "performing differentiation for ..."): <c>[BOS] rule text [SEP] p1 ...</c>; the decoder's sequence is unchanged.
/// </summary>
public sealed class VaeExamples
{
    private readonly int[] _separator;
    private readonly Func<ReasoningExample, string>? _encoderRuleText;

    /// <param name="tokenizer">the model's tokenizer</param>
    /// <param name="mode">autoencoding or inference</param>
    /// <param name="rules">rule labels in classifier order (their index is the label)</param>
    /// <param name="encoderReadsConclusion">inference mode: the encoder also reads the conclusion (the study's setting); off by default</param>
    /// <param name="encoderRuleText">when given, the encoder first reads this text of each example's rule (see <see cref="IReasoningTask.RuleText"/>)</param>
    public VaeExamples(ITokenizer tokenizer, TargetMode mode, IReadOnlyList<string> rules, bool encoderReadsConclusion = false,
        Func<ReasoningExample, string>? encoderRuleText = null)
    {
        _encoderRuleText = encoderRuleText;
        Tokenizer = tokenizer;
        Mode = mode;
        Rules = rules;
        EncoderReadsConclusion = encoderReadsConclusion;
        _separator = tokenizer is WordTokenizer ? new[] { WordTokenizer.Sep } : tokenizer.Encode(" ; ");
    }

    public ITokenizer Tokenizer { get; }
    public TargetMode Mode { get; }
    public IReadOnlyList<string> Rules { get; }
    public bool EncoderReadsConclusion { get; }
    public bool EncoderReadsRuleText => _encoderRuleText is not null;
    private int StartId => Tokenizer.BosId ?? Tokenizer.EosId;

    /// <summary>The input segments of an example: its premises, then its variable when it has one.</summary>
    public static IReadOnlyList<string> InputSegments(ReasoningExample e) =>
        e.Field("variable") is { } v ? e.Premises.Append(v).ToList() : e.Premises;

    /// <summary>The rule label of an example (its index in <see cref="Rules"/>).</summary>
    public int RuleLabel(ReasoningExample e)
    {
        int k = Rules.ToList().IndexOf(e.Rule);
        return k >= 0 ? k : throw new ArgumentException($"{e.Id}: rule '{e.Rule}' is not one of {string.Join(", ", Rules)}");
    }

    public VaeSequence Build(ReasoningExample e)
    {
        var input = Joined(InputSegments(e));
        var conclusion = Tokenizer.Encode(e.Conclusion);
        var whole = Bracketed(input.Concat(_separator).Concat(conclusion));
        if (Mode == TargetMode.Autoencoding) return new VaeSequence(WithRuleText(e, whole), whole, 1, RuleLabel(e));
        var prompt = Prompt(e);
        return new VaeSequence(WithRuleText(e, EncoderReadsConclusion ? whole : Bracketed(input)), prompt.Concat(conclusion).Append(Tokenizer.EosId).ToArray(),
            prompt.Length, RuleLabel(e));
    }

    // [BOS] rest [EOS] -> [BOS] rule text [SEP] rest [EOS] when the encoder reads the rule's text
    private int[] WithRuleText(ReasoningExample e, int[] encoder) => _encoderRuleText is null ? encoder
        : new[] { StartId }.Concat(Tokenizer.Encode(_encoderRuleText(e))).Concat(_separator).Concat(encoder.Skip(1)).ToArray();

    public List<VaeSequence> Build(IEnumerable<ReasoningExample> examples) => examples.Select(Build).ToList();

    /// <summary>The decoder's prompt for generation: [BOS] (autoencoding) or [BOS] input [SEP] (inference).</summary>
    public int[] Prompt(ReasoningExample e) => Mode == TargetMode.Autoencoding ? new[] { StartId } : PremisePrompt(e);

    /// <summary>
    /// [BOS] input [SEP] in either mode: the decoder is given the example's premises and writes the conclusion (in
    /// autoencoding mode the premises are forced as the start of the reconstruction), e.g. to steer it with another z.
    /// </summary>
    public int[] PremisePrompt(ReasoningExample e) => new[] { StartId }.Concat(Joined(InputSegments(e))).Concat(_separator).ToArray();

    /// <summary>The conclusion inside generated ids: everything after the last separator (autoencoding) or all of it (inference).</summary>
    public string Conclusion(int[] generated)
    {
        int start = 0;
        if (Mode == TargetMode.Autoencoding)
            for (int i = generated.Length - _separator.Length; i >= 0; i--)
                if (generated.AsSpan(i, _separator.Length).SequenceEqual(_separator)) { start = i + _separator.Length; break; }
        return Tokenizer.Decode(generated[start..], skipSpecialTokens: true);
    }

    private int[] Joined(IReadOnlyList<string> segments)
    {
        var ids = new List<int>();
        for (int k = 0; k < segments.Count; k++)
        {
            if (k > 0) ids.AddRange(_separator);
            ids.AddRange(Tokenizer.Encode(segments[k]));
        }
        return ids.ToArray();
    }

    private int[] Bracketed(IEnumerable<int> ids) => new[] { StartId }.Concat(ids).Append(Tokenizer.EosId).ToArray();
}

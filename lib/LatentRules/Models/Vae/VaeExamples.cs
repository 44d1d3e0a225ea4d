using LatentRules.Data;
using LatentRules.Tokenizers;
using LatentRules.Torch;
using TorchSharp;
using static TorchSharp.torch;

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
/// Turns reasoning examples into VAE token sequences and generated ids back into conclusions. The input of an
/// example is its premises followed by its variable (math) as separate segments; segments are joined by
/// the tokenizer's separator ([SEP] for the word tokenizer, " ; " otherwise).
/// <code>
/// Autoencoding  encoder: [BOS] p1 [SEP] p2 [SEP] c [EOS]     decoder: same, prompt [BOS]
/// Inference     encoder: [BOS] p1 [SEP] p2 [EOS]             decoder: [BOS] p1 [SEP] p2 [SEP] | c [EOS]  (prompt before |)
/// </code>
/// The study's encoder reads premises and conclusion; in inference mode that is <c>encoderReadsConclusion</c>.
/// It is off by default here: then z can be computed for a new step whose conclusion is unknown, and a
/// generated conclusion is not the encoder's conclusion copied through z.
/// </summary>
public sealed class VaeExamples
{
    private readonly ITokenizer _tokenizer;
    private readonly int[] _separator;

    /// <param name="tokenizer">the model's tokenizer</param>
    /// <param name="mode">autoencoding or inference</param>
    /// <param name="rules">rule labels in classifier order (their index is the label)</param>
    /// <param name="encoderReadsConclusion">inference mode: the encoder also reads the conclusion (the study's setting); off by default</param>
    public VaeExamples(ITokenizer tokenizer, TargetMode mode, IReadOnlyList<string> rules, bool encoderReadsConclusion = false)
    {
        _tokenizer = tokenizer;
        Mode = mode;
        Rules = rules;
        EncoderReadsConclusion = encoderReadsConclusion;
        _separator = tokenizer is WordTokenizer ? new[] { WordTokenizer.Sep } : tokenizer.Encode(" ; ");
    }

    public TargetMode Mode { get; }
    public IReadOnlyList<string> Rules { get; }
    public bool EncoderReadsConclusion { get; }
    private int StartId => _tokenizer.BosId ?? _tokenizer.EosId;

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
        var conclusion = _tokenizer.Encode(e.Conclusion);
        var whole = Bracketed(input.Concat(_separator).Concat(conclusion));
        if (Mode == TargetMode.Autoencoding) return new VaeSequence(whole, whole, 1, RuleLabel(e));
        var prompt = Prompt(e);
        return new VaeSequence(EncoderReadsConclusion ? whole : Bracketed(input), prompt.Concat(conclusion).Append(_tokenizer.EosId).ToArray(),
            prompt.Length, RuleLabel(e));
    }

    public List<VaeSequence> Build(IEnumerable<ReasoningExample> examples) => examples.Select(Build).ToList();

    /// <summary>The decoder's prompt for generation: [BOS] (autoencoding) or [BOS] input [SEP] (inference).</summary>
    public int[] Prompt(ReasoningExample e) =>
        Mode == TargetMode.Autoencoding ? new[] { StartId } : new[] { StartId }.Concat(Joined(InputSegments(e))).Concat(_separator).ToArray();

    /// <summary>The conclusion inside generated ids: everything after the last separator (autoencoding) or all of it (inference).</summary>
    public string Conclusion(int[] generated)
    {
        int start = 0;
        if (Mode == TargetMode.Autoencoding)
            for (int i = generated.Length - _separator.Length; i >= 0; i--)
                if (generated.AsSpan(i, _separator.Length).SequenceEqual(_separator)) { start = i + _separator.Length; break; }
        return _tokenizer.Decode(generated[start..], skipSpecialTokens: true);
    }

    /// <summary>
    /// Generates a conclusion for each example from z = the posterior mean of its encoder input (batches of
    /// 64; greedy unless <paramref name="options"/> say otherwise).
    /// </summary>
    public List<string> GenerateConclusions(LanguageVae vae, IReadOnlyList<ReasoningExample> examples, DecodeOptions? options = null)
    {
        var result = new List<string>(examples.Count);
        using var mode = EvalMode.Of(vae);
        for (int start = 0; start < examples.Count; start += 64)
        {
            using var scope = NewDisposeScope();
            var chunk = examples.Skip(start).Take(64).ToList();
            using var batch = new VaeBatch(chunk.Select(Build).ToList(), _tokenizer.PadId, vae.Device());
            Tensor mu;
            using (no_grad()) mu = vae.Encode(batch.EncoderIds, batch.EncoderMask).mu;          // [b, latent]
            var ids = VaeDecoding.Decode(vae, mu, chunk.Select(Prompt).ToList(), _tokenizer.EosId, options,
                vae.rule_embedding is null ? null : batch.Rules, _tokenizer.PadId);
            result.AddRange(ids.Select(Conclusion));
        }
        return result;
    }

    /// <summary>
    /// Posterior means and log-variances [N, latent] of the examples' encoder inputs (eval mode, no gradients),
    /// in example order: the points of the latent-space analyses.
    /// </summary>
    public (double[,] mu, double[,] logvar) Posteriors(LanguageVae vae, IReadOnlyList<ReasoningExample> examples)
    {
        var (mu, logvar) = PosteriorEncoding.Of(vae, Build(examples), _tokenizer.PadId);   // [N, latent] each
        using (mu) using (logvar) return (Matrix(mu), Matrix(logvar));
    }

    // [N, d] tensor -> double[N, d] on the CPU (the edge: the analyses run in C#)
    private static double[,] Matrix(Tensor t)
    {
        int n = (int)t.size(0), d = (int)t.size(1);
        using var cpu = t.to(ScalarType.Float64).cpu();
        var flat = cpu.ToArray<double>();
        var m = new double[n, d];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < d; k++) m[i, k] = flat[i * d + k];
        return m;
    }

    private int[] Joined(IReadOnlyList<string> segments)
    {
        var ids = new List<int>();
        for (int k = 0; k < segments.Count; k++)
        {
            if (k > 0) ids.AddRange(_separator);
            ids.AddRange(_tokenizer.Encode(segments[k]));
        }
        return ids.ToArray();
    }

    private int[] Bracketed(IEnumerable<int> ids) => new[] { StartId }.Concat(ids).Append(_tokenizer.EosId).ToArray();
}

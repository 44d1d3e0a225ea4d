using LatentRules.Models.Qwen2;
using LatentRules.Tokenizers;
using LatentRules.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace LatentRules.Models.Vae;

/// <summary>
/// A trained VAE and its tokenizer as text in, text out, one call each:
/// <code>
/// var text = new VaeText(vae, tokenizer);
/// double[] z = text.Encode("all cats are mammals");            // posterior mean
/// string back = text.Decode(z);                                 // greedy; GenerationConfig for sampling or beam
/// var path = text.Interpolate(a, b, steps: 5);                  // decoded points on the line from z_a to z_b
/// var sweep = text.Traverse(a, dimension: 3, new[] { -2.0, 0, 2 });
/// string analogy = text.Arithmetic(a, minus: b, plus: c);       // decode(z_a - z_b + z_c)
/// </code>
/// Texts are encoded as the model was trained in autoencoding mode: BOS, the words, EOS. Decoding starts
/// from BOS (EOS for tokenizers without one, as Qwen's) and, given a prompt, continues after it.
/// </summary>
public sealed class VaeText(LanguageVae vae, ITokenizer tokenizer)
{
    public LanguageVae Vae { get; } = vae;
    public ITokenizer Tokenizer { get; } = tokenizer;

    private int StartId => Tokenizer.BosId ?? Tokenizer.EosId;

    /// <summary>Posterior means [N, latent] (float32) of the texts, in batches of 64, without gradients.</summary>
    public Tensor EncodeMeans(IReadOnlyList<string> texts)
    {
        if (texts.Count == 0) throw new ArgumentException("no texts to encode");
        var (mu, logvar) =
            PosteriorEncoding.Of(Vae, texts.Select(t => VaeSequence.Autoencode(Sequence(t))).ToList(), Tokenizer.PadId);
        logvar.Dispose();
        using (mu) return mu.to(ScalarType.Float32);                                          // [N, latent]
    }

    /// <summary>The posterior mean of one text.</summary>
    public double[] Encode(string text)
    {
        using var mu = EncodeMeans(new[] { text });
        return mu.to(ScalarType.Float64).ToArray<double>();
    }

    /// <summary>Decodes each row of z [N, latent], optionally continuing a prompt per row.</summary>
    public List<string> Decode(Tensor z, GenerationConfig? options = null, IReadOnlyList<string>? prompts = null,
        Tensor? rules = null)
    {
        if (prompts is not null && prompts.Count != z.size(0))
            throw new ArgumentException($"{prompts.Count} prompts for {z.size(0)} latent rows");
        var promptIds = Enumerable.Range(0, (int)z.size(0))
            .Select(i => new[] { StartId }
                .Concat(prompts is null ? Array.Empty<int>() : Tokenizer.Encode(prompts[i])).ToArray())
            .ToList();
        return DecodeIds(z, promptIds, options, rules);
    }

    private List<string> DecodeIds(Tensor z, IReadOnlyList<int[]> promptIds, GenerationConfig? options = null,
        Tensor? rules = null)
    {
        var ids = VaeDecoding.Decode(Vae, z, promptIds, Tokenizer.EosId, options, rules, Tokenizer.PadId);
        return ids.Select(row => Tokenizer.Decode(row, skipSpecialTokens: true)).ToList();
    }

    /// <summary>Decodes one latent vector.</summary>
    public string Decode(double[] z, GenerationConfig? options = null, string? prompt = null)
    {
        CheckLength(z);
        // [1, latent]
        using var t = tensor(z, new long[] { 1, z.Length }, device: Vae.Device());
        return Decode(t, options, prompt is null ? null : new[] { prompt })[0];
    }

    /// <summary>
    /// Decoded texts at evenly spaced points t in [0, 1] on the line from z(a) to z(b) (both ends included).
    /// </summary>
    public IReadOnlyList<(double t, string text)> Interpolate(string a, string b, int steps = 5,
        GenerationConfig? options = null) =>
        Interpolate(Encode(a), Encode(b), steps, options);

    /// <summary>
    /// The same between two latent points, e.g. posterior means from <see cref="PosteriorEncoding.Points"/>; every
    /// point continues <paramref name="prompt"/> (token ids starting with BOS, e.g. <see cref="VaeExamples.Prompt"/>)
    /// when given. A VAE that gives the rule to the decoder needs <paramref name="rule"/> (the label every point is
    /// decoded with).
    /// </summary>
    public IReadOnlyList<(double t, string text)> Interpolate(double[] za, double[] zb, int steps = 5,
        GenerationConfig? options = null, int[]? prompt = null,
        int? rule = null)
    {
        if (steps < 2) throw new ArgumentException($"an interpolation needs at least 2 steps, got {steps}");
        var ts = Enumerable.Range(0, steps).Select(i => (double)i / (steps - 1)).ToArray();
        var texts = DecodeMany(ts.Select(t => za.Zip(zb, (x, y) => (1 - t) * x + t * y).ToArray()).ToList(), options,
            prompt, rule);
        return ts.Zip(texts).ToList();
    }

    /// <summary>Decoded texts when one dimension of the text's z is set to each value (the others stay).</summary>
    public IReadOnlyList<(double value, string text)> Traverse(string text, int dimension,
        IReadOnlyList<double> values, GenerationConfig? options = null) =>
        Traverse(Encode(text), dimension, values, options);

    /// <summary>
    /// The same from a latent point, continuing <paramref name="prompt"/> when given, with <paramref name="rule"/> (see
    /// the Interpolate overload).
    /// </summary>
    public IReadOnlyList<(double value, string text)> Traverse(double[] z, int dimension,
        IReadOnlyList<double> values, GenerationConfig? options = null, int[]? prompt = null,
        int? rule = null)
    {
        if (dimension < 0 || dimension >= z.Length)
            throw new ArgumentOutOfRangeException(nameof(dimension),
                $"dimension {dimension} is outside 0..{z.Length - 1}");
        var points = values.Select(v => { var c = (double[])z.Clone(); c[dimension] = v; return c; }).ToList();
        return values.Zip(DecodeMany(points, options, prompt, rule)).ToList();
    }

    /// <summary>
    /// decode(z(a) - z(minus) + z(plus)): latent arithmetic, e.g. swapping a rule while keeping content.
    /// </summary>
    public string Arithmetic(string a, string minus, string plus, GenerationConfig? options = null)
    {
        var za = Encode(a);
        var zm = Encode(minus);
        var zp = Encode(plus);
        return Decode(za.Select((x, i) => x - zm[i] + zp[i]).ToArray(), options);
    }

    private List<string> DecodeMany(IReadOnlyList<double[]> points, GenerationConfig? options,
        int[]? prompt = null, int? rule = null)
    {
        foreach (var p in points) CheckLength(p);
        if (Vae.rule_embedding is not null && rule is null)
            throw new ArgumentException("this VAE gives the rule to the decoder (RuleToDecoder): pass rule, the " +
                "label to decode with");
        var device = Vae.Device();
        // [P, latent]
        using var z =
            tensor(points.SelectMany(p => p).ToArray(), new long[] { points.Count, points[0].Length }, device: device);
        // [P]
        using var rules = rule is int r && Vae.rule_embedding is not null
            ? full(new long[] { points.Count }, r, ScalarType.Int64, device: device) : null;
        return DecodeIds(z, points.Select(_ => prompt ?? new[] { StartId }).ToList(), options, rules);
    }

    private int[] Sequence(string text)
    {
        var ids = Tokenizer.Encode(text, addSpecialTokens: true);
        if (Tokenizer.BosId is null) ids = new[] { StartId }.Concat(ids).Append(Tokenizer.EosId).ToArray();
        return ids;
    }

    private void CheckLength(double[] z)
    {
        if (z.Length != Vae.Config.LatentSize)
            throw new ArgumentException($"z has {z.Length} values but the VAE's latent size is " +
                $"{Vae.Config.LatentSize}");
    }
}

using LatentRules.Torch;
using LatentRules.Torch.NN;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace LatentRules.Models.Qwen2;

/// <summary>SiLU-gated MLP: down(silu(gate(x)) * up(x)), no biases.</summary>
public sealed class Qwen2MLP : nn.Module<Tensor, Tensor>
{
    public LoraLinear gate_proj, up_proj, down_proj;

    public Qwen2MLP(Qwen2Config c, ScalarType? dtype = null) : base(nameof(Qwen2MLP))
    {
        gate_proj = new LoraLinear(c.HiddenSize, c.IntermediateSize, hasBias: false, dtype);
        up_proj = new LoraLinear(c.HiddenSize, c.IntermediateSize, hasBias: false, dtype);
        down_proj = new LoraLinear(c.IntermediateSize, c.HiddenSize, hasBias: false, dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return down_proj.forward(F.silu(gate_proj.forward(x)) * up_proj.forward(x)).MoveToOuterDisposeScope();
    }
}

/// <summary>One pre-norm decoder layer: x + attn(norm(x)), then h + mlp(norm(h)).</summary>
public sealed class Qwen2DecoderLayer : nn.Module
{
    public Qwen2Attention self_attn;
    public Qwen2MLP mlp;
    public RMSNorm input_layernorm, post_attention_layernorm;

    public Qwen2DecoderLayer(Qwen2Config c, ScalarType? dtype = null) : base(nameof(Qwen2DecoderLayer))
    {
        self_attn = new Qwen2Attention(c, dtype);
        mlp = new Qwen2MLP(c, dtype);
        input_layernorm = new RMSNorm(c.HiddenSize, c.RmsNormEps, dtype);
        post_attention_layernorm = new RMSNorm(c.HiddenSize, c.RmsNormEps, dtype);
        RegisterComponents();
    }

    public Tensor forward(Tensor x, Tensor cos, Tensor sin, Tensor mask, AttentionLatent? latent, KVCache? cache,
        int layer)
    {
        using var scope = NewDisposeScope();
        // [B, T, hidden]
        var h = x + self_attn.forward(input_layernorm.forward(x), cos, sin, mask, latent, cache, layer);
        return (h + mlp.forward(post_attention_layernorm.forward(h))).MoveToOuterDisposeScope();
    }
}

/// <summary>The decoder stack without the LM head: embeddings, layers, final norm (HF's Qwen2Model).</summary>
public sealed class Qwen2Model : nn.Module
{
    public Embedding embed_tokens;
    public ModuleList<Qwen2DecoderLayer> layers;
    public RMSNorm norm;
    public Qwen2Config Config { get; }

    public Qwen2Model(Qwen2Config c, ScalarType? dtype = null) : base(nameof(Qwen2Model))
    {
        Config = c.Validate();
        embed_tokens = nn.Embedding(c.VocabSize, c.HiddenSize, dtype: dtype);
        layers = nn.ModuleList(Enumerable.Range(0, c.NumHiddenLayers).Select(_ => new Qwen2DecoderLayer(c, dtype))
            .ToArray());
        norm = new RMSNorm(c.HiddenSize, c.RmsNormEps, dtype);
        RegisterComponents();
    }

    /// <summary>
    /// Final hidden states [B, T, hidden]. Either input ids [B, T] or input embeddings [B, T, hidden].
    /// attentionMask [B, S] (1 = token, 0 = padding) covers cached + new tokens; positions follow it, so
    /// left-padded rows start at position 0. latents[l] are layer l's latent contributions.
    /// </summary>
    public Tensor forward(Tensor? inputIds = null, Tensor? inputEmbeds = null, Tensor? attentionMask = null,
        KVCache? cache = null, IReadOnlyList<AttentionLatent?>? latents = null)
    {
        using var scope = NewDisposeScope();
        var x = inputEmbeds
            ?? embed_tokens.forward(inputIds ?? throw new ArgumentException("give inputIds or inputEmbeds"));
        long b = x.size(0), t = x.size(1), past = cache?.Length ?? 0;
        var device = x.device;
        var mask = attentionMask ?? ones(new[] { b, past + t }, ScalarType.Int64, device);
        if (mask.size(1) != past + t)
            throw new ArgumentException($"attention mask covers {mask.size(1)} positions but the cache holds {past} " +
                $"and the input {t}");

        // Positions count real tokens only: cumsum(mask) - 1, with padding at position 0 (its value is unused).
        var positions = (mask.to(ScalarType.Int64).cumsum(1) - 1L).clamp_min(0).slice(1, past, past + t, 1);  // [B, T]
        var (cos, sin) = RotaryEmbedding.Tables(positions, Config.HeadDim, Config.RopeTheta,
            x.dtype == ScalarType.Float64 ? ScalarType.Float64 : ScalarType.Float32);
        var causal = Masks.causal(t, past + t, offset: past, device: device);                 // [T, S]
        // [1, 1, T, S] & [B, 1, 1, S] -> [B, 1, T, S]
        var allowed = causal.unsqueeze(0).unsqueeze(0).bitwise_and(Masks.keys(mask));

        for (int l = 0; l < layers.Count; l++)
            x = layers[l].forward(x, cos, sin, allowed, latents?[l], cache, l);
        return norm.forward(x).MoveToOuterDisposeScope();
    }
}

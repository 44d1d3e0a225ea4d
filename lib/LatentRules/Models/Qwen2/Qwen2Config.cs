using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace LatentRules.Models.Qwen2;

/// <summary>
/// Shape of a Qwen2-architecture decoder, with Hugging Face config.json field names. Defaults are
/// Qwen2.5-0.5B's; <see cref="Tiny"/> gives a CPU-sized random model of the same architecture.
/// </summary>
public sealed record Qwen2Config
{
    // token embeddings rows
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; } = 151_936;
    // model width
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; init; } = 896;
    // SiLU-gated MLP width
    [JsonPropertyName("intermediate_size")] public int IntermediateSize { get; init; } = 4_864;
    // decoder layers
    [JsonPropertyName("num_hidden_layers")] public int NumHiddenLayers { get; init; } = 24;
    // query heads
    [JsonPropertyName("num_attention_heads")] public int NumAttentionHeads { get; init; } = 14;
    // K/V heads (grouped-query attention)
    [JsonPropertyName("num_key_value_heads")] public int NumKeyValueHeads { get; init; } = 2;
    // RMSNorm epsilon
    [JsonPropertyName("rms_norm_eps")] public double RmsNormEps { get; init; } = 1e-6;
    // RoPE base
    [JsonPropertyName("rope_theta")] public double RopeTheta { get; init; } = 1_000_000;
    // longest sequence
    [JsonPropertyName("max_position_embeddings")] public int MaxPositionEmbeddings { get; init; } = 32_768;
    // standard deviation of the initial linear and embedding weights (Qwen2.5: 0.02), for a model trained from scratch
    [JsonPropertyName("initializer_range")] public double InitializerRange { get; init; } = 0.02;
    // lm_head shares embed_tokens
    [JsonPropertyName("tie_word_embeddings")] public bool TieWordEmbeddings { get; init; } = true;
    // only silu is supported
    [JsonPropertyName("hidden_act")] public string HiddenAct { get; init; } = "silu";
    // <|endoftext|>
    [JsonPropertyName("bos_token_id")] public int? BosTokenId { get; init; } = 151_643;
    // <|endoftext|>
    [JsonPropertyName("eos_token_id")] public int? EosTokenId { get; init; } = 151_643;
    // dtype of the released weights
    [JsonPropertyName("torch_dtype")] public string TorchDtype { get; init; } = "bfloat16";
    [JsonPropertyName("model_type")] public string ModelType { get; init; } = "qwen2";
    [JsonPropertyName("architectures")] public string[] Architectures { get; init; } = { "Qwen2ForCausalLM" };

    /// <summary>Width of one attention head (64 for Qwen2.5-0.5B).</summary>
    [JsonIgnore] public int HeadDim => HiddenSize / NumAttentionHeads;

    /// <summary>A small random-init model of the same architecture, for CPU tests and notebooks.</summary>
    public static Qwen2Config Tiny(int vocab = 512) => new()
    {
        VocabSize = vocab, HiddenSize = 64, IntermediateSize = 128, NumHiddenLayers = 2,
        NumAttentionHeads = 4, NumKeyValueHeads = 2, MaxPositionEmbeddings = 512, RopeTheta = 10_000,
        TorchDtype = "float32", BosTokenId = null, EosTokenId = null,
    };

    /// <summary>Checks the numbers fit together; throws naming the field.</summary>
    public Qwen2Config Validate(string source = "config")
    {
        void Need(bool ok, string message) { if (!ok) throw new InvalidDataException($"{source}: {message}"); }
        Need(VocabSize > 0 && HiddenSize > 0 && IntermediateSize > 0 && NumHiddenLayers > 0, "sizes must be positive");
        Need(NumAttentionHeads > 0 && HiddenSize % NumAttentionHeads == 0,
            $"hidden_size {HiddenSize} is not divisible by num_attention_heads {NumAttentionHeads}");
        Need(NumKeyValueHeads > 0 && NumAttentionHeads % NumKeyValueHeads == 0,
            $"num_attention_heads {NumAttentionHeads} is not divisible by num_key_value_heads {NumKeyValueHeads}");
        Need(HeadDim % 2 == 0, $"head size {HeadDim} must be even for RoPE");
        Need(HiddenAct == "silu", $"hidden_act '{HiddenAct}' is not supported (only silu)");
        return this;
    }

    // Fields of Hugging Face Qwen2 configs that change the computation and that this implementation does not do.
    private static readonly string[] Unsupported = { "rope_scaling", "use_sliding_window", "quantization_config" };

    /// <summary>Reads a Hugging Face config.json, refusing options this implementation would silently ignore.</summary>
    public static Qwen2Config Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"config not found: {path}", path);
        JsonNode? root;
        try { root = JsonNode.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: invalid JSON ({e.Message})", e); }
        if (root is not JsonObject obj) throw new InvalidDataException($"{path}: not a JSON object");
        foreach (string field in Unsupported)
            if (obj.TryGetPropertyValue(field, out var v) && v is not null &&
                !(v is JsonValue jv && jv.TryGetValue(out bool b) && !b))
                throw new InvalidDataException($"{path}: '{field}' = {v.ToJsonString()} is not supported by this " +
                    $"Qwen2 implementation");
        if (obj["model_type"]?.GetValue<string>() is string type && type != "qwen2")
            throw new InvalidDataException($"{path}: model_type '{type}' is not qwen2");
        try
        {
            return (obj.Deserialize<Qwen2Config>() ?? throw new InvalidDataException($"{path}: empty config"))
                .Validate(path);
        }
        catch (JsonException e) { throw new InvalidDataException($"{path}: {e.Message}", e); }
    }

    public string ToJson() => JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true });
}

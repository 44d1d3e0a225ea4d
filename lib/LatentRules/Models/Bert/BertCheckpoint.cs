using System.Text.Json;
using LatentRules.Tokenizers;
using LatentRules.Torch;
using LatentRules.Torch.NN;
using LatentRules.Torch.Serialization;
using TorchSharp;
using static TorchSharp.torch;

namespace LatentRules.Models.Bert;

/// <summary>
/// BERT encoders in Hugging Face folders (config.json, model.safetensors, vocab.txt), such as bert-base-cased, the
/// published runs' encoder. Checkpoint names may carry the "bert." prefix of BertForPreTraining / BertForMaskedLM
/// and the old LayerNorm names gamma/beta; the heads those models add (cls.*, the pooler) are not part of the encoder
/// and are skipped. Every other missing, unexpected or mis-shaped tensor is reported by name.
/// </summary>
public static class BertCheckpoint
{
    /// <summary>
    /// An encoder with the folder's config and weights, in <paramref name="dtype"/> (default float32).
    /// </summary>
    public static BertEncoder Load(string directory, ScalarType dtype = ScalarType.Float32)
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"BERT folder not found: {directory}");
        var config = ReadConfig(Path.Combine(directory, "config.json"));
        string weights = Path.Combine(directory, "model.safetensors");
        if (!File.Exists(weights))
            throw new FileNotFoundException($"{directory} has no model.safetensors (convert a pytorch_model.bin with " +
                $"Hugging Face's safetensors tools)", weights);
        BertEncoder encoder;
        using (SkipInit.Scope()) encoder = new BertEncoder(config);
        try
        {
            if (dtype != ScalarType.Float32) encoder.to(dtype);
            encoder.LoadSafetensors(weights, strict: true, rename: EncoderName);
            return encoder;
        }
        catch
        {
            encoder.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Writes <paramref name="encoder"/> as a Hugging Face BERT folder (names with the "bert." prefix, as the published
    /// checkpoints have them), with vocab.txt when a vocabulary (one token per id) is given. Files are written
    /// atomically.
    /// </summary>
    public static void Save(BertEncoder encoder, string directory, IReadOnlyList<string>? vocabulary = null)
    {
        Directory.CreateDirectory(directory);
        var tensors = encoder.named_parameters().ToDictionary(p => "bert." + p.name, p => (Tensor)p.parameter);
        Safetensors.Save(Path.Combine(directory, "model.safetensors"), tensors);
        var json = JsonSerializer.SerializeToNode(encoder.Config)!.AsObject();
        json["model_type"] = "bert";
        json["position_embedding_type"] = "absolute";
        AtomicFile.WriteAllText(Path.Combine(directory, "config.json"),
            json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        if (vocabulary is not null)
            AtomicFile.WriteAllText(Path.Combine(directory, "vocab.txt"), string.Join("\n", vocabulary) + "\n");
    }

    /// <summary>
    /// The folder's tokenizer: vocab.txt, lower-casing as its tokenizer_config.json's do_lower_case says (absent:
    /// cased, as bert-base-cased).
    /// </summary>
    public static WordPieceTokenizer Tokenizer(string directory)
    {
        string vocabulary = Path.Combine(directory, "vocab.txt");
        return WordPieceTokenizer.Load(vocabulary, TokenizerConfig.Beside(vocabulary).LowerCase);
    }

    /// <summary>A BERT config.json; options this encoder does not implement are refused by name.</summary>
    public static BertConfig ReadConfig(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"BERT config not found: {path}", path);
        JsonDocument doc;
        try { doc = JsonDocument.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not valid JSON ({e.Message})", e); }
        using var owner = doc;
        var root = doc.RootElement;
        string? Text(string field) =>
            root.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        if (Text("model_type") is { } type && type != "bert")
            throw new InvalidDataException($"{path}: model_type '{type}' is not supported (bert)");
        if (Text("position_embedding_type") is { } position && position != "absolute")
            throw new InvalidDataException($"{path}: position_embedding_type '{position}' is not supported (absolute)");
        foreach (var flag in new[] { "is_decoder", "add_cross_attention" })
            if (root.TryGetProperty(flag, out var v) && v.ValueKind == JsonValueKind.True)
                throw new InvalidDataException($"{path}: {flag} = true is not supported (an encoder only)");
        foreach (var field in new[] { "vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads",
            "intermediate_size" })
            if (!root.TryGetProperty(field, out _))
                throw new InvalidDataException($"{path}: field '{field}' is missing");
        try
        {
            return (JsonSerializer.Deserialize<BertConfig>(root)
                ?? throw new InvalidDataException($"{path}: empty config")).Validate();
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>The encoder's name of a checkpoint tensor, or null for the heads around it.</summary>
    internal static string? EncoderName(string stored)
    {
        string name = stored.StartsWith("bert.", StringComparison.Ordinal) ? stored["bert.".Length..] : stored;
        if (name.StartsWith("cls.", StringComparison.Ordinal) || name.StartsWith("pooler.", StringComparison.Ordinal)
            || name == "embeddings.position_ids")
            return null;
        if (name.EndsWith("LayerNorm.gamma", StringComparison.Ordinal)) return name[..^"gamma".Length] + "weight";
        if (name.EndsWith("LayerNorm.beta", StringComparison.Ordinal)) return name[..^"beta".Length] + "bias";
        return name;
    }
}

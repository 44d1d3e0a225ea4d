using System.Text.Json;
using LatentRules.Torch;
using LatentRules.Torch.NN;
using LatentRules.Torch.Serialization;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace LatentRules.Models.Qwen2;

/// <summary>
/// Qwen2 decoder with its language-model head, parameter names equal to the Hugging Face checkpoint's
/// (`model.layers.0.self_attn.q_proj.weight`, ...), so loading is a walk over the safetensors names. With
/// tied embeddings (Qwen2.5-0.5B) there is no lm_head.weight: logits use model.embed_tokens.weight.
/// </summary>
public sealed class Qwen2ForCausalLM : nn.Module
{
    public Qwen2Model model;
    public LoraLinear? lm_head;
    public Qwen2Config Config { get; }

    public Qwen2ForCausalLM(Qwen2Config config, ScalarType? dtype = null) : base(nameof(Qwen2ForCausalLM))
    {
        Config = config.Validate();
        bool initialise = !SkipInit.Active;           // not when a checkpoint's weights are about to be loaded
        using (SkipInit.Scope())
        {
            model = new Qwen2Model(config, dtype);
            if (!config.TieWordEmbeddings)
                lm_head = new LoraLinear(config.HiddenSize, config.VocabSize, hasBias: false, dtype);
        }
        RegisterComponents();
        if (initialise) InitialWeights.Normal(this, config.InitializerRange);
    }

    /// <summary>Logits [B, T, vocab] from hidden states [B, T, hidden].</summary>
    public Tensor Logits(Tensor hidden) => lm_head?.forward(hidden) ?? F.linear(hidden, model.embed_tokens.weight!);

    /// <summary>Logits [B, T, vocab] (see <see cref="Qwen2Model.forward"/> for the arguments).</summary>
    public Tensor forward(Tensor? inputIds = null, Tensor? inputEmbeds = null, Tensor? attentionMask = null,
        KVCache? cache = null, IReadOnlyList<AttentionLatent?>? latents = null)
    {
        using var hidden = model.forward(inputIds, inputEmbeds, attentionMask, cache, latents);
        return Logits(hidden);
    }

    public KVCache NewCache() => new(Config.NumHiddenLayers);

    // ---- Hugging Face folders ---------------------------------------------------------------------

    /// <summary>Writes config.json and model.safetensors in the Hugging Face layout.</summary>
    public void SavePretrained(string directory)
    {
        Directory.CreateDirectory(directory);
        AtomicFile.WriteAllText(Path.Combine(directory, "config.json"), Config.ToJson());
        this.SaveSafetensors(Path.Combine(directory, "model.safetensors"),
            new Dictionary<string, string> { ["format"] = "pt" });
    }

    /// <summary>
    /// Loads a Hugging Face folder: config.json, then model.safetensors or the shards listed in
    /// model.safetensors.index.json, tensor by tensor into the model's memory (peak memory stays near one
    /// copy of the weights). <paramref name="dtype"/>: the parameters' type (default: the checkpoint's, e.g.
    /// bfloat16; pass Float32 to convert). Every missing, unexpected or mis-shaped tensor is reported by name.
    /// </summary>
    public static Qwen2ForCausalLM FromPretrained(string directory, ScalarType? dtype = null, Device? device = null)
    {
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"model folder not found: {directory} (see Qwen2Hub.HowToDownload)");
        var config = Qwen2Config.Load(Path.Combine(directory, "config.json"));
        var shards = ShardsOf(directory);
        var files = shards.Values.Distinct().ToDictionary(f => f, SafetensorsFile.Open);
        try
        {
            var first = files.Values.First();
            var stored = first.Names.Count > 0 ? first.Entry(first.Names[0]).ScalarType : ScalarType.Float32;
            Qwen2ForCausalLM model;
            using (SkipInit.Scope()) model = new Qwen2ForCausalLM(config, dtype ?? stored);   // all loaded below
            try
            {
                LoadWeights(model, shards, files, directory);
                if (device is { } d && d.type != DeviceType.CPU) model.to(Devices.Require(d));
                return model;
            }
            catch
            {
                model.Dispose();
                throw;
            }
        }
        finally
        {
            foreach (var f in files.Values) f.Dispose();
        }
    }

    private static void LoadWeights(Qwen2ForCausalLM model, Dictionary<string, string> shards,
        Dictionary<string, SafetensorsFile> files, string directory)
    {
        var targets = model.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        // A tied checkpoint may still carry lm_head.weight (some exports do): not for this model, not an error.
        var stored = shards.Where(kv => !(kv.Key == "lm_head.weight" && model.lm_head is null))
            .ToDictionary(kv => kv.Key, kv =>
            {
                var e = files[kv.Value].Entry(kv.Key);
                return new CheckpointMatch.Stored(kv.Key, e.Shape, e.ScalarType);
            });
        CheckpointMatch.Check(directory, "config.json's Qwen2ForCausalLM", targets, stored, Array.Empty<string>());
        foreach (var (name, target) in targets) files[shards[name]].ReadInto(name, target);
    }

    // Tensor name -> shard file path.
    private static Dictionary<string, string> ShardsOf(string directory)
    {
        string single = Path.Combine(directory, "model.safetensors");
        string index = Path.Combine(directory, "model.safetensors.index.json");
        if (File.Exists(single))
        {
            using var f = SafetensorsFile.Open(single);
            return f.Names.ToDictionary(n => n, _ => single);
        }
        if (!File.Exists(index))
            throw new FileNotFoundException($"{directory} has neither model.safetensors nor " +
                $"model.safetensors.index.json", single);
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(index));
            var map = doc.RootElement.GetProperty("weight_map");
            var result = new Dictionary<string, string>();
            foreach (var entry in map.EnumerateObject())
            {
                string shard = Path.Combine(directory,
                    entry.Value.GetString() ?? throw new InvalidDataException($"{index}: null shard for {entry.Name}"));
                if (!File.Exists(shard))
                    throw new FileNotFoundException($"{index} names shard {shard}, which is missing", shard);
                result[entry.Name] = shard;
            }
            return result;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidDataException($"{index}: invalid index ({e.Message})", e);
        }
    }
}

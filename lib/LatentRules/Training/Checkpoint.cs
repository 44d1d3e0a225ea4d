using System.Globalization;
using System.Text.Json;
using LatentRules.Models.Vae;
using LatentRules.Torch;
using TorchSharp;
using LatentRules.Torch.Optim;
using Optimizer = LatentRules.Torch.Optim.Optimizer;
using static TorchSharp.torch;
using LatentRules.Torch.Serialization;

namespace LatentRules.Training;

/// <summary>What a checkpoint records besides tensors.</summary>
public sealed record CheckpointManifest(
    long Step,                 // optimiser steps taken
    string DataIdentity,       // e.g. a hash of the training examples: resuming on other data is refused
    string TokenizerIdentity,  // e.g. a hash of the vocabulary: ids must mean the same words
    DateTime SavedUtc);

/// <summary>
/// A training checkpoint folder: model.safetensors, optimizer.safetensors (state tensors, numbers in its metadata),
/// rng.safetensors (the CPU generator), config.json and checkpoint.json. Written into a temporary folder that
/// replaces the old one only when complete, so a run killed while saving leaves the previous checkpoint intact.
/// Loading restores all of it, so a resumed run continues exactly as the uninterrupted one would. A finished model is
/// kept in the same format without the optimiser and random state (<see cref="SaveModel"/>, <see cref="LoadModel"/>).
/// </summary>
public static class Checkpoint
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static void Save(string directory, LanguageVae vae, Optimizer optimizer, CheckpointManifest manifest) =>
        Write(directory, vae, optimizer, manifest);

    /// <summary>A finished model: no optimiser or random state, so it loads but does not resume.</summary>
    public static void SaveModel(string directory, LanguageVae vae, CheckpointManifest manifest) =>
        Write(directory, vae, null, manifest);

    private static void Write(string directory, LanguageVae vae, Optimizer? optimizer, CheckpointManifest manifest)
    {
        string full = Path.GetFullPath(directory);
        string temp = full + ".saving-" + Guid.NewGuid().ToString("N")[..8];
        Directory.CreateDirectory(temp);
        try
        {
            using (var scope = torch.NewDisposeScope())
            {
                vae.SaveSafetensors(Path.Combine(temp, "model.safetensors"));
                if (optimizer is not null) SaveTrainingState(temp, optimizer);
            }
            AtomicFile.WriteAllText(Path.Combine(temp, "config.json"), JsonSerializer.Serialize(vae.Config, Json));
            AtomicFile.WriteAllText(Path.Combine(temp, "checkpoint.json"), JsonSerializer.Serialize(manifest, Json));
            string old = full + ".old-" + Guid.NewGuid().ToString("N")[..8];
            if (Directory.Exists(full)) Directory.Move(full, old);
            Directory.Move(temp, full);
            if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
        }
        catch
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
            throw;
        }
    }

    private static void SaveTrainingState(string directory, Optimizer optimizer)
    {
        var (tensors, numbers) = optimizer.state_dict();
        try
        {
            Safetensors.Save(Path.Combine(directory, "optimizer.safetensors"), tensors,
                numbers.ToDictionary(kv => kv.Key, kv => kv.Value.ToString("R", CultureInfo.InvariantCulture)));
        }
        finally { foreach (var t in tensors.Values) t.Dispose(); }
        Safetensors.Save(Path.Combine(directory, "rng.safetensors"),
            new Dictionary<string, Tensor> { ["cpu"] = RandomState.Get() });
    }

    /// <summary>Reads the manifest (without loading tensors), or throws naming what is missing.</summary>
    public static CheckpointManifest ReadManifest(string directory)
    {
        string path = Path.Combine(directory, "checkpoint.json");
        if (!File.Exists(path)) throw new InvalidDataException($"{directory} is not a complete checkpoint: checkpoint.json is missing");
        try { return JsonSerializer.Deserialize<CheckpointManifest>(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path}: empty"); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: invalid manifest ({e.Message})", e); }
    }

    /// <summary>
    /// Restores model, optimiser and random state into objects built like the saved ones. Refuses a checkpoint made
    /// on other data or with another tokenizer. Returns the manifest (its Step is where training resumes).
    /// </summary>
    public static CheckpointManifest Load(string directory, LanguageVae vae, Optimizer optimizer, string dataIdentity, string tokenizerIdentity)
    {
        var manifest = ReadManifest(directory);
        if (manifest.DataIdentity != dataIdentity)
            throw new InvalidDataException($"{directory} was trained on data '{manifest.DataIdentity}', not '{dataIdentity}'");
        if (manifest.TokenizerIdentity != tokenizerIdentity)
            throw new InvalidDataException($"{directory} used tokenizer '{manifest.TokenizerIdentity}', not '{tokenizerIdentity}'");
        vae.LoadSafetensors(Path.Combine(directory, "model.safetensors"));
        using (var file = SafetensorsFile.Open(Path.Combine(directory, "optimizer.safetensors")))
        {
            var tensors = file.Names.ToDictionary(n => n, n => file.Read(n));
            try
            {
                var numbers = file.Metadata.ToDictionary(kv => kv.Key, kv => double.Parse(kv.Value, CultureInfo.InvariantCulture));
                optimizer.load_state_dict(tensors, numbers);
            }
            finally { foreach (var t in tensors.Values) t.Dispose(); }
        }
        string rngPath = Path.Combine(directory, "rng.safetensors");
        using (var rng = SafetensorsFile.Open(rngPath))
        using (var state = rng.Read("cpu"))
            RandomState.Set(state, rngPath);
        return manifest;
    }

    /// <summary>
    /// The model of a checkpoint alone, built from its config.json and filled from model.safetensors (for using a
    /// trained model, not resuming). A missing or corrupt file is an error naming it.
    /// </summary>
    public static LanguageVae LoadModel(string directory)
    {
        ReadManifest(directory);                                  // a folder that is no checkpoint: an error naming it
        var vae = new LanguageVae(ModuleFiles.ReadConfig<VaeConfig>(directory));
        try { vae.LoadSafetensors(Path.Combine(directory, "model.safetensors")); }
        catch
        {
            vae.Dispose();
            throw;
        }
        return vae;
    }
}

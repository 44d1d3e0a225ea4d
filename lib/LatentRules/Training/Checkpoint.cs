using System.Text.Json;
using LatentRules.Models.Vae;
using LatentRules.Tables;
using LatentRules.Torch;
using LatentRules.Torch.Serialization;
using Microsoft.Data.Analysis;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LatentRules.Training;

/// <summary>What a checkpoint records besides tensors.</summary>
public sealed record CheckpointManifest(
    long Step,                 // optimiser steps taken
    string DataIdentity,       // e.g. a hash of the training examples: resuming on other data is refused
    string TokenizerIdentity,  // e.g. a hash of the vocabulary: ids must mean the same words
    DateTime SavedUtc,
    string? LibraryVersion = null);  // the LatentRules build that wrote it (informational version with the commit)

/// <summary>
/// A training checkpoint folder: model.safetensors, optimizer.bin (TorchSharp's save_state_dict: each group's
/// hyper-parameters and learning rates, each parameter's step count and moments), rng.safetensors (the CPU
/// generator), config.json and checkpoint.json. Written into a temporary folder that
/// replaces the old one only when complete, so a run killed while saving leaves the previous checkpoint intact.
/// Loading restores all of it, so a resumed run continues exactly as the uninterrupted one would. A finished model is
/// kept in the same format without the optimiser and random state (<see cref="SaveModel"/>, <see cref="LoadModel"/>).
/// </summary>
public static class Checkpoint
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static void Save(string directory, LanguageVae vae, OptimizerHelper optimizer,
        CheckpointManifest manifest) =>
        Write(directory, vae, optimizer, manifest);

    /// <summary>A finished model: no optimiser or random state, so it loads but does not resume.</summary>
    public static void SaveModel(string directory, LanguageVae vae, CheckpointManifest manifest,
        DataFrame? history = null) =>
        Write(directory, vae, null, manifest, history);

    /// <summary>The training history saved with a model (history.csv), or null when none was saved.</summary>
    public static DataFrame? ReadHistory(string directory)
    {
        string path = Path.Combine(directory, HistoryFile);
        return File.Exists(path) ? FrameFiles.ReadCsv(path) : null;
    }

    private const string HistoryFile = "history.csv";

    private static void Write(string directory, LanguageVae vae, OptimizerHelper? optimizer,
        CheckpointManifest manifest, DataFrame? history = null)
    {
        string full = Path.GetFullPath(directory);
        string temp = full + ".saving-" + Guid.NewGuid().ToString("N")[..8];
        Directory.CreateDirectory(temp);
        try
        {
            using (var scope = torch.NewDisposeScope())
            {
                vae.SaveSafetensors(Path.Combine(temp, "model.safetensors"));
                if (optimizer is not null)
                {
                    optimizer.save_state_dict(Path.Combine(temp, OptimizerFile));
                    Safetensors.Save(Path.Combine(temp, "rng.safetensors"),
                        new Dictionary<string, Tensor> { ["cpu"] = RandomState.Get() });
                }
            }
            AtomicFile.WriteAllText(Path.Combine(temp, "config.json"), JsonSerializer.Serialize(vae.Config, Json));
            history?.WriteCsv(Path.Combine(temp, HistoryFile));
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

    /// <summary>Reads the manifest (without loading tensors), or throws naming what is missing.</summary>
    public static CheckpointManifest ReadManifest(string directory)
    {
        string path = Path.Combine(directory, "checkpoint.json");
        if (!File.Exists(path))
            throw new InvalidDataException($"{directory} is not a complete checkpoint: checkpoint.json is missing");
        try
        {
            return JsonSerializer.Deserialize<CheckpointManifest>(File.ReadAllText(path))
                ?? throw new InvalidDataException($"{path}: empty");
        }
        catch (JsonException e) { throw new InvalidDataException($"{path}: invalid manifest ({e.Message})", e); }
    }

    /// <summary>
    /// Restores model, optimiser and random state into objects built like the saved ones. Refuses a checkpoint made
    /// on other data or with another tokenizer. Returns the manifest (its Step is where training resumes).
    /// </summary>
    public static CheckpointManifest Load(string directory, LanguageVae vae, OptimizerHelper optimizer,
        string dataIdentity, string tokenizerIdentity)
    {
        var manifest = ReadManifest(directory);
        if (manifest.DataIdentity != dataIdentity)
            throw new InvalidDataException($"{directory} was trained on data '{manifest.DataIdentity}', not " +
                $"'{dataIdentity}'");
        if (manifest.TokenizerIdentity != tokenizerIdentity)
            throw new InvalidDataException($"{directory} used tokenizer '{manifest.TokenizerIdentity}', not " +
                $"'{tokenizerIdentity}'");
        vae.LoadSafetensors(Path.Combine(directory, "model.safetensors"));
        LoadOptimizer(Path.Combine(directory, OptimizerFile), optimizer);
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

    private const string OptimizerFile = "optimizer.bin";

    /// <summary>TorchSharp's load_state_dict, errors naming the file; checks it was read to its end.</summary>
    private static void LoadOptimizer(string path, OptimizerHelper optimizer)
    {
        if (!File.Exists(path)) throw new InvalidDataException($"{path} is missing: no optimiser state to resume");
        string expected = $"{optimizer.GetType().Name} over {optimizer.parameters().Count()} parameters";
        using var stream = File.OpenRead(path);
        try
        {
            using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            optimizer.load_state_dict(reader);
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or IOException or FormatException)
        {
            throw new InvalidDataException($"{path} is not the state of {expected}: {e.Message}", e);
        }
        if (stream.Position != stream.Length)
            throw new InvalidDataException($"{path} is not the state of {expected}: " +
                                           $"{stream.Length - stream.Position} bytes are left after it");
    }
}

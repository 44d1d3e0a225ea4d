using System.Text.Json;

using TorchSharp;
using static TorchSharp.torch;

namespace LatentRules.Torch.Serialization;

/// <summary>Saving and loading a module's weights as safetensors, with its config as JSON beside them.</summary>
public static class ModuleFiles
{
    /// <summary>Writes the module's state_dict to <paramref name="path"/> (atomic).</summary>
    public static void SaveSafetensors(this torch.nn.Module module, string path,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        using var scope = torch.NewDisposeScope();
        Safetensors.Save(path, module.state_dict(), metadata);
    }

    /// <summary>
    /// Loads weights from <paramref name="path"/> tensor by tensor straight into the module's memory. strict:
    /// every missing, unexpected or mis-shaped name is an error listing them all. <paramref name="rename"/> maps a
    /// file's tensor name to the module's (null: the file's tensor is not for this module and is skipped), for
    /// checkpoints saved by other code (e.g. Hugging Face's "bert." prefix).
    /// </summary>
    public static (List<string> missing, List<string> unexpected) LoadSafetensors(this torch.nn.Module module,
        string path, bool strict = true,
        Func<string, string?>? rename = null)
    {
        using var file = SafetensorsFile.Open(path);
        var targets = new Dictionary<string, Tensor>();
        foreach (var (name, p) in module.named_parameters()) targets[name] = p;
        // TorchSharp lists persistent buffers only
        foreach (var (name, b) in module.named_buffers()) targets[name] = b;
        var stored = new Dictionary<string, CheckpointMatch.Stored>();            // module name -> file entry
        var unmapped = new List<string>();
        foreach (var name in file.Names)
        {
            var e = file.Entry(name);
            if ((rename is null ? name : rename(name)) is { } target) stored[target] = new(name, e.Shape, e.ScalarType);
        }
        var (missing, unexpected) =
            CheckpointMatch.Check(path, module.GetType().Name, targets, stored, unmapped, strict);
        foreach (var (name, target) in targets)
            if (stored.TryGetValue(name, out var f)) file.ReadInto(f.FileName, target);
        return (missing, unexpected);
    }
    /// <summary>
    /// Writes `model.safetensors` and `config.json` (the serialised <paramref name="config"/>) into a folder.
    /// </summary>
    public static void SaveWithConfig<TConfig>(this torch.nn.Module module, string directory, TConfig config)
    {
        Directory.CreateDirectory(directory);
        module.SaveSafetensors(Path.Combine(directory, "model.safetensors"));
        AtomicFile.WriteAllText(Path.Combine(directory, "config.json"), JsonSerializer.Serialize(config, JsonOptions));
    }

    /// <summary>Reads `config.json` from a folder written by <see cref="SaveWithConfig"/>.</summary>
    public static TConfig ReadConfig<TConfig>(string directory)
    {
        string path = Path.Combine(directory, "config.json");
        if (!File.Exists(path)) throw new FileNotFoundException($"no config.json in {directory}", path);
        try
        {
            return JsonSerializer.Deserialize<TConfig>(File.ReadAllText(path), JsonOptions)
                ?? throw new InvalidDataException($"{path}: config is null");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: invalid config ({e.Message})", e);
        }
    }

    public static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };
}

using TorchSharp;
using static TorchSharp.torch;

namespace LatentRules.Torch.Serialization;

/// <summary>
/// The one check of a checkpoint against a module, used by every loader (ModuleFiles, Qwen2 folders, BERT folders):
/// every missing, unexpected, mis-shaped or non-floating tensor is listed by name in one InvalidDataException that
/// names the file, before any weight is copied.
/// </summary>
public static class CheckpointMatch
{
    /// <summary>A tensor the checkpoint holds, under its name in the file.</summary>
    public readonly record struct Stored(string FileName, long[] Shape, ScalarType DType);

    /// <param name="source">the file or folder, for the message</param>
    /// <param name="target">what is being loaded, for the message (e.g. "Qwen2ForCausalLM")</param>
    /// <param name="module">module names -> the tensors to fill</param>
    /// <param name="stored">module names -> what the checkpoint holds for them (names it has no module name for count
    /// as unexpected)</param>
    /// <param name="unmapped">file names the checkpoint holds that map to no module name</param>
    /// <param name="strict">false: missing and unexpected names are returned instead of refused (shape and dtype
    /// problems always throw)</param>
    public static (List<string> missing, List<string> unexpected) Check(string source, string target,
        IReadOnlyDictionary<string, Tensor> module, IReadOnlyDictionary<string, Stored> stored,
        IEnumerable<string> unmapped, bool strict = true)
    {
        var missing = module.Keys.Where(k => !stored.ContainsKey(k)).ToList();
        var unexpected =
            stored.Where(kv => !module.ContainsKey(kv.Key)).Select(kv => kv.Value.FileName).Concat(unmapped).ToList();
        var misShaped = new List<string>();
        var wrongType = new List<string>();
        foreach (var (name, tensor) in module)
        {
            if (!stored.TryGetValue(name, out var s)) continue;
            if (!s.Shape.SequenceEqual(tensor.shape))
                misShaped.Add($"{s.FileName}: file [{string.Join(", ", s.Shape)}] vs model " +
                    $"[{string.Join(", ", tensor.shape)}]");
            if (tensor.dtype.IsFloatingPoint() != s.DType.IsFloatingPoint())
                wrongType.Add($"{s.FileName}: file {s.DType} vs model {tensor.dtype}");
        }
        if (misShaped.Count > 0 || wrongType.Count > 0 || (strict && (missing.Count > 0 || unexpected.Count > 0)))
        {
            var parts = new List<string>();
            if (missing.Count > 0) parts.Add($"missing ({missing.Count}): {List(missing)}");
            if (unexpected.Count > 0) parts.Add($"unexpected ({unexpected.Count}): {List(unexpected)}");
            if (misShaped.Count > 0)
                parts.Add($"shape mismatches ({misShaped.Count}): {string.Join("; ", misShaped.Take(20))}");
            if (wrongType.Count > 0)
                parts.Add($"dtype mismatches ({wrongType.Count}): {string.Join("; ", wrongType.Take(20))}");
            throw new InvalidDataException($"{source}: checkpoint does not match {target}: " +
                $"{string.Join(" | ", parts)}");
        }
        return (missing, unexpected);
    }

    private static string List(List<string> names) =>
        string.Join(", ", names.Take(20)) + (names.Count > 20 ? ", ..." : "");
}

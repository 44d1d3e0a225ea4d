using LatentRules.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace LatentRules.Models.Qwen2;

/// <summary>
/// What a latent code z contributes to one attention layer (the study's injection strategies). Every field
/// is optional; widths follow grouped-query attention (queries heads x head_dim, keys/values kv_heads x head_dim).
/// </summary>
public sealed record AttentionLatent(
    Tensor? QueryShift = null,   // [B, 1, heads*D]: added to every query (Query injection)
    Tensor? KeyShift = null,     // [B, 1, kv_heads*D]: added to every key (Key-Value injection)
    Tensor? ValueShift = null,   // [B, 1, kv_heads*D]: added to every value (Key-Value injection)
    Tensor? MemoryKey = null,    // [B, 1, kv_heads*D]: one extra key slot every position attends to (Memory injection)
    Tensor? MemoryValue = null)  // [B, 1, kv_heads*D]: the value of that slot
{
    /// <summary>The contributions present, named ("query shift", "memory key", ...), in the order above.</summary>
    public IEnumerable<(string name, Tensor value)> Present()
    {
        var all = new[]
        {
            ("query shift", QueryShift), ("key shift", KeyShift), ("value shift", ValueShift),
            ("memory key", MemoryKey), ("memory value", MemoryValue),
        };
        foreach (var (name, value) in all)
            if (value is not null) yield return (name, value);
    }
}

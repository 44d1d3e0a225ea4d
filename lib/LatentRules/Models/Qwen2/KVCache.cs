using LatentRules.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace LatentRules.Models.Qwen2;

/// <summary>
/// Keys and values of the tokens seen so far, per layer ([B, kv_heads, S, D], after RoPE), so generation
/// computes each new token from its own query only. Owns its tensors.
/// </summary>
public sealed class KVCache : IDisposable
{
    private readonly Tensor?[] _keys;
    private readonly Tensor?[] _values;

    public KVCache(int layers)
    {
        _keys = new Tensor?[layers];
        _values = new Tensor?[layers];
    }

    /// <summary>Tokens cached so far.</summary>
    public long Length => _keys[0]?.size(2) ?? 0;

    /// <summary>Appends this step's keys and values for a layer and returns the full ones (caller disposes).</summary>
    public (Tensor keys, Tensor values) Append(int layer, Tensor keys, Tensor values)
    {
        var k = _keys[layer] is { } oldK ? cat(new[] { oldK, keys }, 2) : keys.alias();          // [B, KV, S+T, D]
        var v = _values[layer] is { } oldV ? cat(new[] { oldV, values }, 2) : values.alias();
        _keys[layer]?.Dispose();
        _values[layer]?.Dispose();
        _keys[layer] = k.detach().DetachFromDisposeScope();
        _values[layer] = v.detach().DetachFromDisposeScope();
        return (k, v);
    }

    public void Dispose()
    {
        foreach (var t in _keys) t?.Dispose();
        foreach (var t in _values) t?.Dispose();
        Array.Clear(_keys);
        Array.Clear(_values);
    }
}

using LatentRules.Models.Qwen2;
using LatentRules.Torch;
using LatentRules.Torch.NN;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LatentRules.Models.Vae;

/// <summary>
/// Maps z to what each decoder layer receives: a query shift (heads x head_dim wide), key and value shifts or
/// a memory slot (kv_heads x head_dim wide, as grouped-query attention needs), and/or an embedding shift.
/// One learned projection per layer and role, as in the study.
/// </summary>
public sealed class LatentInjection : nn.Module
{
    public ModuleList<LoraLinear>? query, key, value, memory_key, memory_value;
    public LoraLinear? embedding;
    private readonly int _layers;

    public LatentInjection(VaeConfig c) : base(nameof(LatentInjection))
    {
        var d = c.Decoder;
        _layers = d.NumHiddenLayers;
        int qWidth = d.NumAttentionHeads * d.HeadDim, kvWidth = d.NumKeyValueHeads * d.HeadDim;
        ModuleList<LoraLinear> PerLayer(int width) =>
            nn.ModuleList(Enumerable.Range(0, _layers).Select(_ => new LoraLinear(c.LatentSize, width)).ToArray());
        if (c.Injection.HasFlag(Injection.Query)) query = PerLayer(qWidth);
        if (c.Injection.HasFlag(Injection.KeyValue)) { key = PerLayer(kvWidth); value = PerLayer(kvWidth); }
        if (c.Injection.HasFlag(Injection.Memory)) { memory_key = PerLayer(kvWidth); memory_value = PerLayer(kvWidth); }
        if (c.Injection.HasFlag(Injection.Embedding)) embedding = new LoraLinear(c.LatentSize, d.HiddenSize);
        RegisterComponents();
    }

    /// <summary>
    /// Per-layer contributions for z [B, latent]; tensors are [B, 1, width] (they broadcast over positions).
    /// </summary>
    public AttentionLatent?[] Layers(Tensor z)
    {
        var zz = z.unsqueeze(1);                                                         // [B, 1, latent]
        var result = new AttentionLatent?[_layers];
        for (int l = 0; l < _layers; l++)
        {
            if (query is null && key is null && memory_key is null) continue;
            result[l] = new AttentionLatent(
                QueryShift: query?[l].forward(zz),
                KeyShift: key?[l].forward(zz), ValueShift: value?[l].forward(zz),
                MemoryKey: memory_key?[l].forward(zz), MemoryValue: memory_value?[l].forward(zz));
        }
        return result;
    }

    /// <summary>
    /// Token embeddings [B, T, hidden] plus the embedding shift (unchanged without Embedding injection).
    /// </summary>
    public Tensor Embed(Tensor tokenEmbeddings, Tensor z) =>
        // [B, 1, hidden] broadcast
        embedding is null ? tokenEmbeddings.alias() : tokenEmbeddings + embedding.forward(z).unsqueeze(1);

    /// <summary>Sets every projection to zero (then the decoder ignores z).</summary>
    public void ZeroProjections()
    {
        using var noGrad = no_grad();
        foreach (var p in parameters()) p.zero_();
    }
}

using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace LatentRules.Torch.NN;

/// <summary>
/// y = x W^T + b (weight [out, in], bias [out], PyTorch's initialisation), with an optional LoRA adapter. The lab's
/// own rather than TorchSharp's Linear because the adapter lives inside the layer: parameter names gain
/// <c>lora_A.weight</c> and <c>lora_B.weight</c> (PEFT's names without its adapter label) and checkpoints keep
/// the base names.
/// </summary>
public sealed class Linear : nn.Module<Tensor, Tensor>
{
    public Parameter weight;
    public Parameter? bias;
    /// <summary>Low-rank adapter (LoRA): when set, forward adds lora_B(lora_A(x)) * lora_scale.</summary>
    public Linear? lora_A, lora_B;
    public double lora_scale;

    public Linear(long in_features, long out_features, bool hasBias = true, ScalarType? dtype = null, Device? device = null) : base(nameof(Linear))
    {
        if (in_features <= 0 || out_features <= 0)
            throw new ArgumentException($"Linear({in_features}, {out_features}): sizes must be positive");
        weight = new Parameter(empty(new[] { out_features, in_features }, dtype, device));
        Init.kaiming_uniform_(weight, Math.Sqrt(5));
        if (hasBias)
        {
            bias = new Parameter(empty(new[] { out_features }, dtype, device));
            double bound = 1 / Math.Sqrt(in_features);
            Init.uniform_(bias, -bound, bound);
        }
        RegisterComponents();
    }

    public long in_features => weight.size(1);
    public long out_features => weight.size(0);

    /// <summary>
    /// Attaches a LoRA adapter of rank r (Hu et al., 2021): A [r, in] Kaiming-uniform, B [out, r] zeros, so the
    /// layer's output is unchanged until B is trained; scale = alpha / r.
    /// </summary>
    public void add_lora(int r, double alpha)
    {
        if (r <= 0) throw new ArgumentException($"LoRA rank must be positive, got {r}");
        if (lora_A is not null) throw new InvalidOperationException("this Linear already has a LoRA adapter");
        lora_A = new Linear(in_features, r, hasBias: false, weight.dtype, weight.device);
        lora_B = new Linear(r, out_features, hasBias: false, weight.dtype, weight.device);
        using (no_grad()) lora_B.weight.zero_();
        lora_scale = alpha / r;
        register_module(nameof(lora_A), lora_A);
        register_module(nameof(lora_B), lora_B);
    }

    /// <summary>Folds the adapter into the weight (W += scale * B A) and removes it.</summary>
    public void merge_lora()
    {
        if (lora_A is null || lora_B is null) throw new InvalidOperationException("this Linear has no LoRA adapter to merge");
        using (no_grad())
        using (var delta = lora_B.weight.matmul(lora_A.weight))                      // [out, r] @ [r, in] -> [out, in]
        using (var scaled = delta * lora_scale)
            weight.add_(scaled);
        register_module(nameof(lora_A), null!);   // a null module unregisters the name
        register_module(nameof(lora_B), null!);
        lora_A.Dispose();
        lora_B.Dispose();
        lora_A = lora_B = null;
    }

    public override Tensor forward(Tensor input)
    {
        if (lora_A is null || lora_B is null) return F.linear(input, weight, bias);
        using var scope = NewDisposeScope();
        var y = F.linear(input, weight, bias) + lora_B.forward(lora_A.forward(input)) * lora_scale;
        return y.MoveToOuterDisposeScope();
    }
}

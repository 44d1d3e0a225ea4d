using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace LatentRules.Torch.NN;

/// <summary>
/// y = x W^T + b (weight [out, in], bias [out]), initialised as TorchSharp's nn.Linear, with an optional LoRA adapter.
/// The lab's own because TorchSharp's Linear is sealed: it cannot hold the adapter in place (parameters
/// <c>lora_A.weight</c>, <c>lora_B.weight</c> beside the checkpoint's <c>weight</c> and <c>bias</c>, PEFT's names
/// without its adapter label) nor skip its initialisation: measured, Qwen2.5-0.5B's 168 linear layers took 0.9-5.7 s
/// to initialise on this 2-core machine, 0.01 s inside <see cref="SkipInit.Scope"/> (for weights about to be loaded).
/// </summary>
public sealed class LoraLinear : nn.Module<Tensor, Tensor>
{
    public Parameter weight;
    public Parameter? bias;
    /// <summary>Low-rank adapter (LoRA): when set, forward adds lora_B(lora_A(x)) * lora_scale.</summary>
    public LoraLinear? lora_A, lora_B;
    public double lora_scale;

    public LoraLinear(long in_features, long out_features, bool hasBias = true, ScalarType? dtype = null,
        Device? device = null) : base(nameof(LoraLinear))
    {
        if (in_features <= 0 || out_features <= 0)
            throw new ArgumentException($"LoraLinear({in_features}, {out_features}): sizes must be positive");
        weight = new Parameter(empty(new[] { out_features, in_features }, dtype, device));
        bias = hasBias ? new Parameter(empty(new[] { out_features }, dtype, device)) : null;
        if (!SkipInit.Active)
        {
            nn.init.kaiming_uniform_(weight, a: Math.Sqrt(5));
            double bound = 1 / Math.Sqrt(in_features);
            if (bias is not null) nn.init.uniform_(bias, -bound, bound);
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
        if (lora_A is not null) throw new InvalidOperationException("this LoraLinear already has a LoRA adapter");
        lora_A = new LoraLinear(in_features, r, hasBias: false, weight.dtype, weight.device);
        lora_B = new LoraLinear(r, out_features, hasBias: false, weight.dtype, weight.device);
        using (no_grad()) lora_B.weight.zero_();
        lora_scale = alpha / r;
        register_module(nameof(lora_A), lora_A);
        register_module(nameof(lora_B), lora_B);
    }

    /// <summary>Folds the adapter into the weight (W += scale * B A) and removes it.</summary>
    public void merge_lora()
    {
        if (lora_A is null || lora_B is null)
            throw new InvalidOperationException("this LoraLinear has no LoRA adapter to merge");
        using (no_grad())
        using (var delta = Ops.matmul(lora_B.weight, lora_A.weight))                // [out, r] @ [r, in] -> [out, in]
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

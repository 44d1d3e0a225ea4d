using TorchSharp;
using static TorchSharp.torch;

namespace LatentRules.Torch.Optim;

/// <summary>Gradient clipping (PyTorch's torch.nn.utils.clip_grad_norm_).</summary>
public static class ClipGrad
{
    /// <summary>
    /// Clips the gradients' global 2-norm to <paramref name="max_norm"/> in place (PyTorch's
    /// clip_grad_norm_) and returns the norm before clipping.
    /// </summary>
    public static double clip_grad_norm_(IEnumerable<Parameter> parameters, double max_norm)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var grads = parameters.Select(p => p.grad).Where(g => g is not null).Cast<Tensor>().ToList();
        if (grads.Count == 0) return 0;
        var norms = grads.Select(g => g.norm()).ToList();
        var total = stack(norms).norm();
        var coef = (total.add(1e-6).reciprocal() * max_norm).clamp_max(1.0);
        foreach (var g in grads) g.mul_(coef);
        return total.ToDouble();
    }
}

using TorchSharp;
using static TorchSharp.torch;

namespace LatentRules.Torch.Optim;

/// <summary>Gradient housekeeping shared by the optimisers and the trainers.</summary>
public static class Grads
{
    /// <summary>Clears a gradient: zeroed in place (PyTorch 1.x's default, so backward reuses the buffer) or dropped with set_to_none.</summary>
    public static void Clear(Parameter p, bool setToNone)
    {
        if (setToNone) { p.grad = null; return; }
        using var grad = p.grad;
        if (grad is null) return;
        grad.detach_();          // a gradient built with create_graph must not keep its graph alive
        grad.zero_();
    }

    /// <summary>Clears the gradient of every parameter of <paramref name="module"/>.</summary>
    public static void Clear(nn.Module module, bool setToNone = false)
    {
        foreach (var p in module.parameters()) Clear(p, setToNone);
    }
}

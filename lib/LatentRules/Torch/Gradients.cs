using TorchSharp;
using static TorchSharp.torch;

namespace LatentRules.Torch;

/// <summary>
/// torch.autograd.grad with the lab's semantics and a guard. TorchSharp 0.107's native THSAutograd_grad has no
/// exception guard: libtorch's complaint about an input the outputs do not use, an output that needs no gradient or a
/// non-scalar output would terminate the process. Here those are checked in C# first (ArgumentException naming the
/// tensor), and an input the outputs do not depend on gets a zero gradient, as PyTorch's allow_unused + zeros would
/// give.
/// </summary>
public static class Gradients
{
    /// <summary>d(sum of scalar <paramref name="outputs"/>)/d(each input), without touching .grad.</summary>
    public static Tensor[] grad(IReadOnlyList<Tensor> outputs, IReadOnlyList<Tensor> inputs, bool retain_graph = false,
        bool create_graph = false)
    {
        if (outputs.Count == 0 || inputs.Count == 0)
            throw new ArgumentException("autograd.grad needs at least one output and one input");
        for (int k = 0; k < outputs.Count; k++)
        {
            var o = TensorExtensions.ObjectDisposedCheck(outputs[k], $"output {k}");
            if (o.numel() != 1)
                throw new ArgumentException($"output {k} is {o.Describe()}: gradients are taken of scalar outputs " +
                    $"(sum it first)");
            if (!o.requires_grad)
                throw new ArgumentException($"output {k} ({o.Describe()}) does not require grad: it was computed " +
                    $"under no_grad or from tensors that need none");
        }
        for (int k = 0; k < inputs.Count; k++)
        {
            var i = TensorExtensions.ObjectDisposedCheck(inputs[k], $"input {k}");
            if (!i.requires_grad) throw new ArgumentException($"input {k} ({i.Describe()}) does not require grad");
        }
        var result = torch.autograd.grad(outputs.ToList(), inputs.ToList(), retain_graph: retain_graph,
            create_graph: create_graph, allow_unused: true);
        var grads = new Tensor[inputs.Count];
        for (int k = 0; k < inputs.Count; k++)
            grads[k] = result[k] is { IsInvalid: false } g ? g : zeros_like(inputs[k]);
        return grads;
    }
}

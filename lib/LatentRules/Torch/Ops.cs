using TorchSharp;
using static TorchSharp.torch;

namespace LatentRules.Torch;

/// <summary>
/// Ops that need a guard TorchSharp lacks. TorchSharp 0.107's native THSTensor_matmul is the one tensor op without its
/// exception guard (CATCH): libtorch's error on mismatched shapes, dtypes or devices escapes as a C++ exception and
/// terminates the process ("terminate called after throwing c10::Error"). Every matmul of the lab (lib/) is
/// <see cref="matmul"/>, which checks in C# first and throws an ArgumentException naming both operands.
/// </summary>
public static class Ops
{
    /// <summary>PyTorch's matmul (1-D, 2-D and broadcast batched), validated before the native call.</summary>
    public static Tensor matmul(Tensor a, Tensor b)
    {
        TensorExtensions.ObjectDisposedCheck(a, "matmul's first operand");
        TensorExtensions.ObjectDisposedCheck(b, "matmul's second operand");
        string Both() => $"{a.Describe()} @ {b.Describe()}";
        if (a.dim() == 0 || b.dim() == 0)
            throw new ArgumentException($"matmul needs operands of at least one dimension: {Both()}");
        if (a.dtype != b.dtype) throw new ArgumentException($"matmul operands differ in dtype: {Both()}");
        if (!Devices.Same(a.device, b.device))
            throw new ArgumentException($"matmul operands are on different devices: {Both()}");
        long inner = b.dim() == 1 ? b.size(0) : b.size(-2);
        if (a.size(-1) != inner)
            throw new ArgumentException($"matmul shapes cannot be multiplied ({a.size(-1)} vs {inner}): {Both()}");
        long[] sa = a.shape, sb = b.shape;
        int batchA = Math.Max(0, sa.Length - 2), batchB = Math.Max(0, sb.Length - 2);
        for (int k = 1; k <= Math.Min(batchA, batchB); k++)
        {
            long x = sa[batchA - k], y = sb[batchB - k];
            if (x != y && x != 1 && y != 1)
                throw new ArgumentException($"matmul batch dimensions do not broadcast: {Both()}");
        }
        return a.matmul(b);
    }
}

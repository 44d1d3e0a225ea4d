using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace LatentRules.Torch;

/// <summary>
/// Conveniences TorchSharp leaves to the caller: values out as C# arrays, a short description, dtype facts.
/// </summary>
public static class TensorExtensions
{
    /// <summary>
    /// All values in row-major order (any device), converted to <typeparamref name="T"/> when the dtype differs.
    /// </summary>
    public static T[] ToArray<T>(this Tensor t) where T : unmanaged
    {
        ObjectDisposedCheck(t);
        ScalarType want = ScalarTypes.Of<T>();
        if (t.numel() == 0) return Array.Empty<T>();
        using var scope = NewDisposeScope();
        var host = t.detach();
        if (host.device_type != DeviceType.CPU) host = host.cpu();
        if (host.dtype != want) host = host.to(want);
        if (!host.is_contiguous()) host = host.contiguous();
        return host.data<T>().ToArray();
    }

    /// <summary>A 2-D tensor's values as a C# matrix.</summary>
    public static T[,] ToArray2D<T>(this Tensor t) where T : unmanaged
    {
        var s = t.shape;
        if (s.Length != 2)
            throw new ArgumentException($"ToArray2D needs a 2-D tensor, got shape [{string.Join(", ", s)}]");
        var flat = t.ToArray<T>();
        var result = new T[s[0], s[1]];
        Buffer.BlockCopy(flat, 0, result, 0, flat.Length * Marshal.SizeOf<T>());
        return result;
    }

    /// <summary>"float32[2, 3] cpu": a short description without the values.</summary>
    public static string Describe(this Tensor t) =>
        t.IsInvalid ? "tensor (disposed)"
            : $"{t.dtype.ToString().ToLowerInvariant()}[{string.Join(", ", t.shape)}] {t.device}";

    /// <summary>
    /// Throws a clear ObjectDisposedException for a disposed tensor (TorchSharp's own message names no tensor).
    /// </summary>
    public static Tensor ObjectDisposedCheck(Tensor t, string what = "tensor") =>
        t.IsInvalid ? throw new ObjectDisposedException(what, $"{what} used after it was disposed (by Dispose() or " +
            $"the DisposeScope it was made in); keep it with MoveToOuterDisposeScope() or DetachFromDisposeScope()")
                : t;
}

/// <summary>Facts about dtypes.</summary>
public static class ScalarTypes
{
    public static bool IsFloatingPoint(this ScalarType t) =>
        t is ScalarType.Float16 or ScalarType.Float32 or ScalarType.Float64 or ScalarType.BFloat16;

    /// <summary>Bytes per element.</summary>
    public static int ElementSize(this ScalarType t) => t switch
    {
        ScalarType.Byte or ScalarType.Int8 or ScalarType.Bool => 1,
        ScalarType.Int16 or ScalarType.Float16 or ScalarType.BFloat16 => 2,
        ScalarType.Int32 or ScalarType.Float32 => 4,
        ScalarType.Int64 or ScalarType.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(t), t, "unsupported scalar type"),
    };

    /// <summary>
    /// The most negative finite value (masked attention scores use it so a fully masked row stays finite).
    /// </summary>
    public static double LowestFinite(this ScalarType t) => t switch
    {
        ScalarType.Float16 => -65504.0,
        ScalarType.BFloat16 => -3.3895313892515355e38,
        ScalarType.Float32 => float.MinValue,
        ScalarType.Float64 => double.MinValue,
        _ => throw new ArgumentException($"{t} is not a floating-point type"),
    };

    /// <summary>The dtype of C# element type <typeparamref name="T"/>.</summary>
    public static ScalarType Of<T>() where T : unmanaged =>
        typeof(T) == typeof(float) ? ScalarType.Float32 :
        typeof(T) == typeof(double) ? ScalarType.Float64 :
        typeof(T) == typeof(long) ? ScalarType.Int64 :
        typeof(T) == typeof(int) ? ScalarType.Int32 :
        typeof(T) == typeof(short) ? ScalarType.Int16 :
        typeof(T) == typeof(byte) ? ScalarType.Byte :
        typeof(T) == typeof(sbyte) ? ScalarType.Int8 :
        typeof(T) == typeof(bool) ? ScalarType.Bool :
        typeof(T) == typeof(Half) ? ScalarType.Float16 :
        throw new NotSupportedException($"no tensor element type for {typeof(T).Name}");
}

/// <summary>Raw memory of contiguous CPU tensors (safetensors reads and writes straight through it).</summary>
public static class TensorMemory
{
    /// <summary>Address of the first element of a contiguous CPU tensor (valid while the tensor lives).</summary>
    public static unsafe IntPtr DataPointer(this Tensor t)
    {
        if (t.device_type != DeviceType.CPU || !t.is_contiguous())
            throw new ArgumentException($"DataPointer needs a contiguous CPU tensor, got {t.Describe()}");
        if (t.numel() == 0) return IntPtr.Zero;
        return (IntPtr)System.Runtime.CompilerServices.Unsafe.AsPointer(ref MemoryMarshal.GetReference(t.bytes));
    }
}

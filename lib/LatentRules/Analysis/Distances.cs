using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LatentRules.Analysis;

/// <summary>
/// Euclidean distances between rows of a row-major point array (see <see cref="Points.Flatten"/>), computed as
/// sums of squared differences (SIMD over the dimension) rather than through |a|^2 + |b|^2 - 2 a.b, so nearby
/// points keep full relative precision.
/// </summary>
internal static class Distances
{
    /// <summary>Rows handled together by <see cref="SquaredFromRows"/>: each row j is read once per block.</summary>
    public const int Block = 4;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Squared(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        ref double ra = ref MemoryMarshal.GetReference(a);
        ref double rb = ref MemoryMarshal.GetReference(b);
        int d = a.Length, k = 0;
        double s = 0;
        if (Vector.IsHardwareAccelerated && d >= Vector<double>.Count)
        {
            var acc = Vector<double>.Zero;
            for (; k <= d - Vector<double>.Count; k += Vector<double>.Count)
            {
                var diff = Vector.LoadUnsafe(ref ra, (nuint)k) - Vector.LoadUnsafe(ref rb, (nuint)k);
                acc += diff * diff;
            }
            s = Vector.Sum(acc);
        }
        for (; k < d; k++)
        {
            double diff = Unsafe.Add(ref ra, k) - Unsafe.Add(ref rb, k);
            s += diff * diff;
        }
        return s;
    }

    /// <summary>
    /// output[r * n + j] = |x_(i0 + r) - x_j|^2 for r &lt; count and every row j of the n rows of dimension d.
    /// </summary>
    public static void SquaredFromRows(double[] x, int n, int d, int i0, int count, Span<double> output)
    {
        var points = x.AsSpan(0, n * d);
        for (int j = 0; j < n; j++)
        {
            var b = points.Slice(j * d, d);
            for (int r = 0; r < count; r++) output[r * n + j] = Squared(points.Slice((i0 + r) * d, d), b);
        }
    }

    /// <summary>Square roots of every value, in place.</summary>
    public static void Sqrt(Span<double> values)
    {
        int k = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vectors = MemoryMarshal.Cast<double, Vector<double>>(values);
            for (int v = 0; v < vectors.Length; v++) vectors[v] = Vector.SquareRoot(vectors[v]);
            k = vectors.Length * Vector<double>.Count;
        }
        for (; k < values.Length; k++) values[k] = Math.Sqrt(values[k]);
    }

    /// <summary>
    /// Runs <paramref name="body"/>(i0, count, squared distances of rows i0.. i0+count-1 to all rows) over every
    /// block of rows, in parallel; each worker owns its distance buffer.
    /// </summary>
    public static void ForEachRowBlock(double[] x, int n, int d, Action<int, int, double[]> body)
    {
        int blocks = (n + Block - 1) / Block;
        Parallel.For(0, blocks, () => new double[Block * n], (b, _, buffer) =>
        {
            int i0 = b * Block, count = Math.Min(Block, n - i0);
            SquaredFromRows(x, n, d, i0, count, buffer);
            body(i0, count, buffer);
            return buffer;
        }, _ => { });
    }
}

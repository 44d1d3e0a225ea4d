using System.Globalization;
using LatentRules.Lab.Commands;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace LatentRules.Lab.Benchmarks;

/// <summary>
/// `bench matmul`: the float32 linear layers of a Qwen2.5-0.5B forward over a 64-token prompt (x [64, in] times a
/// weight [out, in] transposed, as nn.Linear does), one shape at a time, in C# and in PyTorch (matmul_reference.py),
/// in alternating rounds so that a slower machine slows both. Isolates where `bench qwen`'s forward ratio comes from:
/// the BLAS each libtorch brings (libtorch 2.10's bundled one here, Debian's OpenBLAS under PyTorch 1.13) or the rest.
/// </summary>
public static class MatmulBenchmark
{
    // (name, rows, in, out): the decoder's projections and the vocabulary head at a 64-token prompt.
    private static readonly (string name, int rows, int input, int output)[] Shapes =
    {
        ("q_proj / o_proj", 64, 896, 896),
        ("k_proj / v_proj", 64, 896, 128),
        ("gate_proj / up_proj", 64, 896, 4864),
        ("down_proj", 64, 4864, 896),
        ("lm_head", 64, 896, 151_936),
    };

    public static int Run(ParsedArgs args)
    {
        int reps = args.Int("reps", 20), rounds = args.Int("rounds", 3);
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"libtorch {__version__}, {get_num_threads()} threads, {reps} reps per shape, " +
            $"{rounds} alternating rounds");
        var cs = Shapes.Select(_ => new List<double>()).ToArray();
        var py = Shapes.Select(_ => new List<double>()).ToArray();
        for (int round = 0; round < rounds; round++)
        {
            for (int s = 0; s < Shapes.Length; s++) cs[s].Add(Measure(Shapes[s], reps));
            var reference = PythonReferenceScript.Run("matmul_reference.py", reps,
                string.Join(";", Shapes.Select(x => $"{x.rows},{x.input},{x.output}")));
            var times = reference.GetProperty("ms").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            for (int s = 0; s < Shapes.Length; s++) py[s].Add(times[s]);
        }
        Console.WriteLine();
        Console.WriteLine("| linear (x [rows, in] W^T) | C# ms | PyTorch ms | C#/PyTorch | C# " +
            "GFLOP/s | PyTorch GFLOP/s |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        for (int s = 0; s < Shapes.Length; s++)
        {
            var (name, rows, input, output) = Shapes[s];
            double c = EngineBenchmark.Median(cs[s]), p = EngineBenchmark.Median(py[s]),
                flop = 2.0 * rows * input * output;
            Console.WriteLine(
                string.Format(inv, "| {0} [{1}, {2}] -> {3} | {4:F3} | {5:F3} | {6:F3} | {7:F0} | {8:F0} |",
                name, rows, input, output, c, p, c / p, flop / c / 1e6, flop / p / 1e6));
        }
        return 0;
    }

    private static double Measure((string name, int rows, int input, int output) shape, int reps)
    {
        manual_seed(0);
        using var x = randn(shape.rows, shape.input);
        using var w = randn(shape.output, shape.input);
        using var noGrad = no_grad();
        return EngineBenchmark.MedianMs(() => { using var y = F.linear(x, w); }, reps);
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LatentRules.Lab.Commands;
using LatentRules.Torch;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace LatentRules.Lab.Benchmarks;

/// <summary>
/// `bench engine`: (a) a 1024x1024 float32 matmul, (b) forward + backward + AdamW step of a 4-layer
/// Transformer (d_model 256, 4 heads, seq 64, batch 32), in C# (TorchSharp, libtorch 2.10) and in PyTorch 1.13
/// (engine_reference.py, Debian's OpenBLAS) at the same thread count, in alternating rounds (`--rounds`, 3). Prints a
/// Markdown table of medians and each round's (b) ratio; last line `ratio`: the median of those.
/// </summary>
public static class EngineBenchmark
{
    public static int Run(ParsedArgs args)
    {
        int matmulReps = args.Int("matmul-reps", 50);
        int stepReps = args.Int("step-reps", 20);
        int threads = get_num_threads();
        Console.WriteLine($"libtorch {__version__}, {threads} threads, matmul reps {matmulReps}, step reps {stepReps}");

        // Alternating rounds (C#, then PyTorch): a machine that slows down mid-run slows both sides of a round.
        int rounds = args.Int("rounds", 3);
        var (cs, py) = (new List<(double matmul, double step)>(), new List<(double matmul, double step)>());
        for (int round = 0; round < rounds; round++)
        {
            cs.Add(MeasureCSharp(matmulReps, stepReps));
            var reference = PythonReferenceScript.Run("engine_reference.py", threads, matmulReps, stepReps);
            py.Add((reference.GetProperty("matmul_ms").GetDouble(), reference.GetProperty("step_ms").GetDouble()));
        }
        double matmulMs = Median(cs.Select(r => r.matmul)), pyMatmul = Median(py.Select(r => r.matmul));
        double stepMs = Median(cs.Select(r => r.step)), pyStep = Median(py.Select(r => r.step));
        var stepRatios = cs.Zip(py, (c, p) => c.step / p.step).ToList();
        double gflops(double ms) => 2.0 * 1024 * 1024 * 1024 / (ms / 1000) / 1e9;

        Console.WriteLine();
        Console.WriteLine($"| workload (median of {rounds} alternating rounds) | C# median (ms) | PyTorch " +
            "median (ms) | C#/PyTorch |");
        Console.WriteLine("|---|---:|---:|---:|");
        Console.WriteLine(Row("(a) matmul 1024x1024 f32", matmulMs, pyMatmul) +
            $" <!-- {gflops(matmulMs):F0} vs {gflops(pyMatmul):F0} GFLOP/s -->");
        Console.WriteLine(Row("(b) Transformer fwd+bwd+AdamW", stepMs, pyStep));
        Console.WriteLine();
        Console.WriteLine($"matmul: C# {gflops(matmulMs):F0} GFLOP/s, PyTorch {gflops(pyMatmul):F0} GFLOP/s " +
            $"({100 * pyMatmul / matmulMs:F0}% of PyTorch)");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"(b) per round: " +
            $"{string.Join(", ", stepRatios.Select(r => r.ToString("F3", CultureInfo.InvariantCulture)))}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio {Median(stepRatios):F3}"));
        return 0;
    }

    // One round on the C# side: (a) and (b) as in the summary above, medians in ms.
    private static (double matmul, double step) MeasureCSharp(int matmulReps, int stepReps)
    {
        manual_seed(0);
        double matmulMs;
        using (var a = randn(1024, 1024))
        using (var b = randn(1024, 1024))
            matmulMs = MedianMs(() => { using var c = Ops.matmul(a, b); }, matmulReps);

        const int vocab = 1000, seq = 64, batch = 32;
        using var model = new MiniTransformer(new MiniTransformerConfig(vocab, 256, 4, 4, seq));
        using var opt = optim.AdamW(model.parameters(), lr: 1e-4, weight_decay: 0.01);   // PyTorch's default decay
        using var ids = randint(0, vocab, new long[] { batch, seq });
        using var target = randint(0, vocab, new long[] { batch, seq });
        double stepMs = MedianMs(() =>
        {
            using var scope = NewDisposeScope();
            opt.zero_grad();
            var loss = F.cross_entropy(model.forward(ids).reshape(-1, vocab), target.reshape(-1)); // [B*T, V] vs [B*T]
            loss.backward();
            opt.step();
        }, stepReps);
        return (matmulMs, stepMs);
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static string Row(string name, double cs, double py) =>
        string.Create(CultureInfo.InvariantCulture, $"| {name} | {cs:F2} | {py:F2} | {cs / py:F3} |");

    public static double MedianMs(Action action, int reps, int warmup = 3)
    {
        for (int k = 0; k < warmup; k++) action();
        var times = new double[reps];
        for (int k = 0; k < reps; k++)
        {
            long start = Stopwatch.GetTimestamp();
            action();
            times[k] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        return Median(times);
    }
}

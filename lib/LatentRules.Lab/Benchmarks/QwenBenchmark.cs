using System.Diagnostics;
using System.Globalization;
using LatentRules.Lab.Commands;
using LatentRules.Models.Qwen2;
using LatentRules.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace LatentRules.Lab.Benchmarks;

/// <summary>
/// `bench qwen`: a Qwen2.5-0.5B-shaped model with random weights, saved as bf16 like the released checkpoint.
/// Reports the peak RSS rise while loading it (bf16, and converted to float32), then float32 forward and
/// greedy-generation (KV cache) throughput next to the same computation in PyTorch (qwen_reference.py);
/// the greedy ids must agree. Last line: `ratio <C# generation time / PyTorch generation time>`.
/// </summary>
public static class QwenBenchmark
{
    public static int Run(ParsedArgs args)
    {
        int promptLen = args.Int("prompt", 64), newTokens = args.Int("new-tokens", 32), reps = args.Int("reps", 3);
        string dir = args.Option("dir") ?? Path.Combine(Path.GetTempPath(), "latentrules-qwen0.5b-random");
        var inv = CultureInfo.InvariantCulture;
        var config = new Qwen2Config();
        if (args.Has("write-checkpoint"))
        {
            manual_seed(0);
            using var fresh = new Qwen2ForCausalLM(config, ScalarType.BFloat16);
            fresh.SavePretrained(dir);
            return 0;
        }
        if (!File.Exists(Path.Combine(dir, "model.safetensors")))
        {
            // Written by a child process, so this process's allocator holds no freed model memory that a load
            // could reuse (which would hide the load's true peak).
            Console.WriteLine($"writing a random {config.NumHiddenLayers}-layer, {config.HiddenSize}-wide Qwen2 " +
                $"checkpoint (bf16) to {dir} ...");
            var child = Process.Start(new ProcessStartInfo(Environment.ProcessPath!,
                $"bench qwen --write-checkpoint true --dir \"{dir}\"")
            { UseShellExecute = false })!;
            child.WaitForExit();
            if (child.ExitCode != 0) throw new InvalidOperationException("writing the random checkpoint failed");
        }
        long fileMiB = new FileInfo(Path.Combine(dir, "model.safetensors")).Length >> 20;

        // Peak RSS while loading: the rise over the pre-load baseline (meaningful for the first load in this
        // process) and the transient part, peak minus what stays resident once loaded (meaningful for both).
        (double riseMiB, double transientMiB, double seconds) Load(ScalarType dtype)
        {
            GC.Collect();
            File.WriteAllText("/proc/self/clear_refs", "5");
            long before = PythonReferenceScript.StatusKiB("VmRSS:");
            var watch = Stopwatch.StartNew();
            using var lm = Qwen2ForCausalLM.FromPretrained(dir, dtype);
            double seconds = watch.Elapsed.TotalSeconds;
            long peak = PythonReferenceScript.StatusKiB("VmHWM:"), resident = PythonReferenceScript.StatusKiB("VmRSS:");
            return ((peak - before) / 1024.0, Math.Max(0, peak - resident) / 1024.0, seconds);
        }
        var bf16 = Load(ScalarType.BFloat16);
        var f32 = Load(ScalarType.Float32);

        using var model = Qwen2ForCausalLM.FromPretrained(dir, ScalarType.Float32);
        var prompt = Enumerable.Range(0, promptLen).Select(k => (long)((k * 7919 + 11) % config.VocabSize)).ToArray();
        double forward, generate;
        List<long[]> ids;
        using (no_grad())
        {
            using var input = tensor(prompt, new long[] { 1, promptLen });
            forward =
                EngineBenchmark.MedianMs(() => { using var logits = model.forward(input); }, reps, warmup: 1) / 1000;
            var options = new GenerationConfig(MaxNewTokens: newTokens);
            generate = EngineBenchmark.MedianMs(() => Generation.Generate(model, new[] { prompt }, options), reps,
                warmup: 1) / 1000;
            ids = Generation.Generate(model, new[] { prompt }, options);
        }

        var py = PythonReferenceScript.Run("qwen_reference.py", dir, get_num_threads(), promptLen, newTokens, reps);
        double pyForward = py.GetProperty("forward_s").GetDouble(),
            pyGenerate = py.GetProperty("generate_s").GetDouble();
        var pyIds = py.GetProperty("ids").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        Console.WriteLine(
            string.Format(inv, "checkpoint {0} MiB (bf16, {1:N0} parameters); greedy ids equal PyTorch's: {2}",
            fileMiB, model.num_parameters(), ids[0].SequenceEqual(pyIds)));
        Console.WriteLine();
        Console.WriteLine("| measurement | C# | PyTorch | C#/PyTorch |");
        Console.WriteLine("|---|---:|---:|---:|");
        Console.WriteLine(string.Format(inv,
            "| load as bf16 (first load): peak RSS rise over baseline; transient above resident; time | {0:F0} MiB; " +
            "{1:F0} MiB; {2:F1} s | | |", bf16.riseMiB, bf16.transientMiB, bf16.seconds));
        // (Its memory figures are not shown: the second load reuses memory the first one freed.)
        Console.WriteLine(string.Format(inv, "| load converting to float32: time | {0:F1} s | | |", f32.seconds));
        Console.WriteLine(string.Format(inv, "| forward, {0} tokens (tokens/s) | {1:F0} | {2:F0} | {3:F3} |", promptLen,
            promptLen / forward, promptLen / pyForward, forward / pyForward));
        Console.WriteLine(string.Format(inv,
            "| greedy generation, {0} new tokens (tokens/s) | {1:F1} | {2:F1} | {3:F3} |", newTokens,
            newTokens / generate, newTokens / pyGenerate, generate / pyGenerate));
        Console.WriteLine(string.Format(inv, "ratio {0:F3}", generate / pyGenerate));
        return 0;
    }
}

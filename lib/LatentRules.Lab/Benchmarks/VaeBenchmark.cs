using System.Diagnostics;
using System.Globalization;
using LatentRules.Lab.Commands;
using LatentRules.Models.Bert;
using LatentRules.Models.Qwen2;
using LatentRules.Models.Vae;
using LatentRules.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace LatentRules.Lab.Benchmarks;

/// <summary>
/// `bench vae`: training throughput of notebook 02's default VAE (BERT-style encoder 64 wide, 2 layers; tiny
/// Qwen2 decoder; query injection; rule classifier with lambda 20) on batches shaped like the math data
/// (32 sequences of 10-40 tokens), next to the same model written independently in PyTorch
/// (vae_reference.py), and the peak RSS of the run. `--part forward|backward` times only the forward pass, or forward
/// and backward, on both sides (to see where a gap comes from). Last line: `ratio &lt;C# step time / PyTorch step
/// time&gt;`.
/// </summary>
public static class VaeBenchmark
{
    public static int Run(ParsedArgs args)
    {
        int vocab = args.Int("vocab", 140), batch = args.Int("batch", 32), steps = args.Int("steps", 60),
            warmup = args.Int("warmup", 10);
        // diagnostics: "forward", "backward" (forward + backward) or "all"
        string part = args.Option("part") ?? "all";
        if (part is not ("forward" or "backward" or "all"))
            throw new ArgumentException($"--part must be forward, backward or all, got '{part}'");
        // f32 or bf16 (parameters and activations; norms, softmax and losses in f32)
        string dtypeName = args.Option("dtype") ?? "f32";
        var dtype = dtypeName switch
        {
            "f32" => ScalarType.Float32,
            "bf16" => ScalarType.BFloat16,
            _ => throw new ArgumentException($"--dtype must be f32 or bf16, got '{dtypeName}'"),
        };
        var device = Devices.Resolve(args.Option("device") ?? "cpu");
        if (args.Flag("paper")) return PaperEpochBenchmark.Run(args, dtype, dtypeName, device);
        var inv = CultureInfo.InvariantCulture;
        manual_seed(0);
        using var vae = new LanguageVae(new VaeConfig
        {
            Encoder = new BertConfig
            {
                VocabSize = vocab, HiddenSize = 64, NumHiddenLayers = 2, NumAttentionHeads = 4,
                IntermediateSize = 128
            },
            Decoder = Qwen2Config.Tiny(vocab: vocab),
            LatentSize = 16, Injection = Injection.Query, RuleCount = 2, RuleWeight = 20,
        });
        vae.to(device).to(dtype);
        vae.train();
        var lengths = Enumerable.Range(0, batch).Select(i => 10 + (i * 7919) % 31).ToArray();   // the reference's batch
        var sequences = lengths.Select((n, r) =>
            Enumerable.Range(0, n).Select(k => 5 + (r * 31 + k * 17) % (vocab - 5)).ToArray()).ToList();
        using var data = new VaeBatch(sequences, padId: 0,
            rules: Enumerable.Range(0, batch).Select(r => r % 2).ToList(), device: vae.Device());
        using var opt = optim.AdamW(vae.parameters(), lr: 2e-3, weight_decay: 0.01);
        long tokens = lengths.Sum(n => n - 1);
        double loss = 0;
        double stepMs = EngineBenchmark.MedianMs(() =>
        {
            using var scope = NewDisposeScope();
            opt.zero_grad();
            var l = data.Loss(vae, 0.2);
            if (part == "forward") { loss = l.Total.ToDouble(); return; }
            l.Total.backward();
            if (part == "backward") { loss = l.Total.ToDouble(); return; }
            nn.utils.clip_grad_norm_(vae.parameters(), 1.0);
            opt.step();
            loss = l.Total.ToDouble();
        }, steps, warmup);
        double peakMiB = PythonReferenceScript.StatusKiB("VmHWM:") / 1024.0;

        var py = PythonReferenceScript.Run("vae_reference.py", get_num_threads(), vocab, batch, steps, warmup, part,
            dtypeName);
        double pyMs = py.GetProperty("step_s").GetDouble() * 1000;
        Console.WriteLine(string.Format(inv,
            "default VAE of notebook 02: {0:N0} parameters here, {1:N0} in the PyTorch twin; batch {2} sequences, " +
            "{3} predicted tokens; {4} threads, OMP_WAIT_POLICY {5}, {6} on {7}",
            vae.num_parameters(), py.GetProperty("parameters").GetInt64(), batch, tokens, get_num_threads(),
            Threads.WaitPolicy, dtypeName, device));
        Console.WriteLine();
        Console.WriteLine("| measurement | C# | PyTorch | C#/PyTorch |");
        Console.WriteLine("|---|---:|---:|---:|");
        Console.WriteLine(string.Format(inv, "| training step (median of {0}, ms) | {1:F2} | {2:F2} | {3:F3} |", steps,
            stepMs, pyMs, stepMs / pyMs));
        Console.WriteLine(
            string.Format(inv, "| examples/s | {0:F0} | {1:F0} | |", batch * 1000 / stepMs, batch * 1000 / pyMs));
        Console.WriteLine(
            string.Format(inv, "| tokens/s | {0:F0} | {1:F0} | |", tokens * 1000 / stepMs, tokens * 1000 / pyMs));
        Console.WriteLine(string.Format(inv, "| peak RSS of this process (MiB) | {0:F0} | | |", peakMiB));
        Console.WriteLine(string.Format(inv, "ratio {0:F3}", stepMs / pyMs));
        return 0;
    }
}

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
/// `bench vae --paper`: the GPU run plan. One epoch of the paper's setting: bert-base-sized encoder (768 wide, 12
/// layers, vocabulary 28,996), Qwen2.5-0.5B-sized decoder (random weights; load real ones with
/// Qwen2ForCausalLM.FromPretrained), latent 32, query injection, rule classifier, batch 32 of math-shaped sequences
/// (10-40 tokens), 40,000 examples = 1,250 steps. Prints the epoch time (measured over --steps steps, projected to the
/// epoch when fewer) and peak memory:
/// the process's (VmHWM) and, on CUDA, the GPU memory this process holds (nvidia-smi; libtorch's caching allocator
/// keeps its peak reserved). `--dtype bf16` trains in bfloat16.
/// </summary>
public static class PaperEpochBenchmark
{
    public static int Run(ParsedArgs args, ScalarType dtype, string dtypeName, Device device)
    {
        const int examples = 40_000, batch = 32, encoderVocab = 28_996;
        int stepsPerEpoch = (examples + batch - 1) / batch;
        int steps = args.Int("steps", stepsPerEpoch);
        var inv = CultureInfo.InvariantCulture;
        manual_seed(0);
        var decoder = new Qwen2Config();                                  // Qwen2.5-0.5B's shape
        using var vae = new LanguageVae(new VaeConfig
        {
            Encoder = new BertConfig
            {
                VocabSize = encoderVocab, HiddenSize = 768, NumHiddenLayers = 12,
                NumAttentionHeads = 12, IntermediateSize = 3072, MaxPositionEmbeddings = 512
            },
            Decoder = decoder,
            LatentSize = 32, Injection = Injection.Query, RuleCount = 8, RuleWeight = 1,
        });
        vae.to(device).to(dtype);
        vae.train();
        using var opt = optim.AdamW(vae.parameters(), lr: 5e-5, weight_decay: 0.01);
        Console.WriteLine(string.Format(inv,
            "paper-scale VAE: {0:N0} parameters, {1} on {2}, batch {3}, {4} steps per epoch of {5:N0} " +
            "examples; timing {6} steps",
            vae.num_parameters(), dtypeName, device, batch, stepsPerEpoch, examples, steps));

        var rng = new Random(0);
        VaeBatch NextBatch()
        {
            var seqs = Enumerable.Range(0, batch).Select(_ =>
            {
                int n = 10 + rng.Next(31);
                return Enumerable.Range(0, n).Select(_ => 5 + rng.Next(Math.Min(encoderVocab, decoder.VocabSize) - 5))
                    .ToArray();
            }).ToList();
            return new VaeBatch(seqs, 0, seqs.Select(_ => rng.Next(8)).ToList(), device);
        }

        void Step()
        {
            using var scope = NewDisposeScope();
            using var data = NextBatch();
            opt.zero_grad();
            var loss = data.Loss(vae, 1.0);
            loss.Total.backward();
            nn.utils.clip_grad_norm_(vae.parameters(), 1.0);
            opt.step();
        }

        Step();                                                           // warm-up: allocator, kernels
        if (device.type == DeviceType.CUDA) cuda.synchronize();
        var clock = Stopwatch.StartNew();
        for (int s = 0; s < steps; s++) Step();
        if (device.type == DeviceType.CUDA) cuda.synchronize();
        double seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine();
        Console.WriteLine("| measurement | value |");
        Console.WriteLine("|---|---:|");
        Console.WriteLine(string.Format(inv, "| {0} steps (s) | {1:F1} |", steps, seconds));
        Console.WriteLine(string.Format(inv, "| step (ms) | {0:F1} |", 1000 * seconds / steps));
        Console.WriteLine(string.Format(inv, "| epoch of {0:N0} examples (s{1}) | {2:F0} |", examples,
            steps < stepsPerEpoch ? ", projected" : "", seconds / steps * stepsPerEpoch));
        Console.WriteLine(string.Format(inv, "| peak RSS of this process (MiB) | {0:F0} |",
            PythonReferenceScript.StatusKiB("VmHWM:") / 1024.0));
        if (device.type == DeviceType.CUDA)
            Console.WriteLine($"| GPU memory held by this process (nvidia-smi) | {GpuMemory()} |");
        Console.WriteLine(string.Format(inv, "epoch_s {0:F1}", seconds / steps * stepsPerEpoch));
        return 0;
    }

    private static string GpuMemory()
    {
        try
        {
            var psi = new ProcessStartInfo("nvidia-smi",
                "--query-compute-apps=pid,used_memory --format=csv,noheader")
            {
                RedirectStandardOutput = true,
                UseShellExecute = false
            };
            using var p = Process.Start(psi)!;
            string output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            int pid = Environment.ProcessId;
            return output.Split('\n').Select(l => l.Split(','))
                .FirstOrDefault(f => f.Length == 2
                    && f[0].Trim() == pid.ToString(CultureInfo.InvariantCulture))?[1].Trim()
                   ?? "(this process not listed by nvidia-smi)";
        }
        catch (Exception e) { return $"(nvidia-smi unavailable: {e.Message})"; }
    }
}

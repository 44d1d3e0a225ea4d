using TorchSharp;
using static TorchSharp.torch;

namespace LatentRules.Torch.NN;

/// <summary>In-place initialisers of the lab's modules (PyTorch's torch.nn.init names), with a skip scope for loading.</summary>
public static class Init
{
    [ThreadStatic] private static int _skipDepth;

    /// <summary>
    /// Inside this scope the lab's random initialisers do nothing: for modules whose weights are about to be
    /// overwritten from a checkpoint (saves seconds on a 0.5B model).
    /// </summary>
    public static IDisposable no_init() => new SkipInit();

    /// <summary>True inside <see cref="no_init"/> on this thread.</summary>
    public static bool skipping => _skipDepth > 0;

    private sealed class SkipInit : IDisposable
    {
        private bool _done;
        public SkipInit() => _skipDepth++;
        public void Dispose() { if (!_done) { _done = true; _skipDepth--; } }
    }

    public static Tensor uniform_(Tensor t, double a = 0, double b = 1) { if (skipping) return t; using (no_grad()) return t.uniform_(a, b); }
    public static Tensor normal_(Tensor t, double mean = 0, double std = 1) { if (skipping) return t; using (no_grad()) return t.normal_(mean, std); }

    /// <summary>U(-b, b) with b = gain * sqrt(3 / fan_in), gain = sqrt(2 / (1 + a^2)) (PyTorch's kaiming_uniform_ for Linear).</summary>
    public static Tensor kaiming_uniform_(Tensor t, double a = 0)
    {
        if (t.dim() < 2) throw new ArgumentException($"fan in needs at least 2 dimensions, got [{string.Join(", ", t.shape)}]");
        long fanIn = t.shape.Skip(1).Aggregate(1L, (x, y) => x * y);
        double gain = Math.Sqrt(2.0 / (1 + a * a));
        double bound = gain * Math.Sqrt(3.0 / fanIn);
        return uniform_(t, -bound, bound);
    }
}

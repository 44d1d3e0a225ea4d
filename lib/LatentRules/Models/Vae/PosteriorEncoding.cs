using LatentRules.Data;
using LatentRules.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace LatentRules.Models.Vae;

/// <summary>
/// Posterior means and log-variances of many sequences: eval mode, no gradients, batches on the model's device.
/// </summary>
public static class PosteriorEncoding
{
    /// <summary>
    /// mu and logvar [N, latent] of the sequences' encoder ids, in order, on the model's device and in its dtype.
    /// </summary>
    public static (Tensor mu, Tensor logvar) Of(LanguageVae vae, IReadOnlyList<VaeSequence> sequences, PadIds padIds,
        int batchSize = EvalBatches.DefaultSize)
    {
        if (sequences.Count == 0) throw new ArgumentException("no sequences to encode");
        using var scope = NewDisposeScope();
        var (mus, logvars) = (new List<Tensor>(), new List<Tensor>());
        EvalBatches.ForEach(vae, sequences, padIds, (_, batch) =>
        {
            var (m, lv) = vae.Encode(batch.EncoderIds, batch.EncoderMask);                   // [b, latent] each
            mus.Add(m.MoveToOuterDisposeScope());
            logvars.Add(lv.MoveToOuterDisposeScope());
        }, batchSize);
        return (cat(mus, 0).MoveToOuterDisposeScope(), cat(logvars, 0).MoveToOuterDisposeScope());   // [N, latent] each
    }

    /// <summary>
    /// Posterior means and log-variances [N, latent] of the examples' encoder inputs, in example order, as arrays on
    /// the CPU: the points of the latent-space analyses (the edge where the analyses leave the model's device).
    /// </summary>
    public static (double[,] mu, double[,] logvar) Points(LanguageVae vae, VaeExamples examples,
        IReadOnlyList<ReasoningExample> items)
    {
        var (mu, logvar) = Of(vae, examples.Build(items), examples.PadIds);                      // [N, latent] each
        using (mu) using (logvar) return (Matrix(mu), Matrix(logvar));
    }

    // [N, d] tensor -> double[N, d] on the CPU
    private static double[,] Matrix(Tensor t)
    {
        int n = (int)t.size(0), d = (int)t.size(1);
        using var cpu = t.to(ScalarType.Float64).cpu();
        var flat = cpu.ToArray<double>();
        var m = new double[n, d];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < d; k++) m[i, k] = flat[i * d + k];
        return m;
    }
}

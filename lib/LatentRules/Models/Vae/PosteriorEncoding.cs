using LatentRules.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace LatentRules.Models.Vae;

/// <summary>Posterior means and log-variances of many sequences: eval mode, no gradients, batches on the model's device.</summary>
public static class PosteriorEncoding
{
    /// <summary>mu and logvar [N, latent] of the sequences' encoder ids, in order, on the model's device and in its dtype.</summary>
    public static (Tensor mu, Tensor logvar) Of(LanguageVae vae, IReadOnlyList<VaeSequence> sequences, int padId, int batchSize = 64)
    {
        if (sequences.Count == 0) throw new ArgumentException("no sequences to encode");
        using var mode = EvalMode.Of(vae);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var (mus, logvars) = (new List<Tensor>(), new List<Tensor>());
        for (int start = 0; start < sequences.Count; start += batchSize)
        {
            var chunk = sequences.Skip(start).Take(batchSize).ToList();
            using var batch = new VaeBatch(chunk, padId, vae.Device());
            var (m, lv) = vae.Encode(batch.EncoderIds, batch.EncoderMask);                   // [b, latent] each
            mus.Add(m);
            logvars.Add(lv);
        }
        return (cat(mus, 0).MoveToOuterDisposeScope(), cat(logvars, 0).MoveToOuterDisposeScope());   // [N, latent] each
    }
}

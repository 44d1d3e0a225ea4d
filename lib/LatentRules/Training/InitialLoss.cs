using LatentRules.Models.Vae;
using TorchSharp;
using static TorchSharp.torch;

namespace LatentRules.Training;

/// <summary>One loss term of a batch beside the value it should have before training, and why.</summary>
public sealed record LossExpectation(
    string Term,       // the training history's column: "reconstruction", "kl" or "rule"
    double Value,      // what the model gives
    double Expected,   // what it should be before training
    string Why);       // where the expected value comes from

/// <summary>
/// What an untrained VAE's loss terms should be, to check a model before training it (notebook 02, "One batch by
/// hand"): the reconstruction of a decoder whose next-token distribution is near uniform, ln(vocabulary) per
/// predicted token, summed over an example's tokens as <see cref="LanguageVae.Loss"/> sums them; the KL in closed
/// form from the batch's own mu and log-variance (an independent check of the library's KL, free-bits floor
/// included); the rule loss of a classifier near uniform, ln(rules).
/// </summary>
public static class InitialLoss
{
    /// <summary>
    /// The expectations for a batch's loss parts, from the mu and log-variance [B, latent] the loss was computed
    /// with (call both in eval mode so they agree: dropout off).
    /// </summary>
    public static IReadOnlyList<LossExpectation> Of(VaeLoss loss, VaeBatch batch, Tensor mu, Tensor logvar,
        VaeConfig config)
    {
        using var scope = NewDisposeScope();
        var tokens = batch.Targets.ne(-100).sum(1).cpu().data<long>().ToArray();                // [B]
        return Expect(loss.Reconstruction.ToDouble(), loss.Kl.ToDouble(), loss.Rule?.ToDouble(), tokens,
            Matrix(mu), Matrix(logvar), config.Decoder.VocabSize, config.RuleCount, config.FreeBits);
    }

    /// <summary>
    /// The expectations from plain numbers: predicted tokens of each example, mu and log-variance [B, latent].
    /// </summary>
    public static IReadOnlyList<LossExpectation> Expect(double reconstruction, double kl, double? rule,
        IReadOnlyList<long> predictedTokens, double[,] mu, double[,] logvar, int vocabulary, int rules,
        double freeBits = 0)
    {
        int b = mu.GetLength(0), latent = mu.GetLength(1);
        double tokens = predictedTokens.Average(), perToken = Math.Log(vocabulary);
        double closedForm = 0;
        for (int k = 0; k < latent; k++)
        {
            double dimension = 0;                                   // batch mean of 0.5 (mu² + σ² - 1 - log σ²)
            for (int i = 0; i < b; i++)
                dimension += 0.5 * (mu[i, k] * mu[i, k] + Math.Exp(logvar[i, k]) - 1 - logvar[i, k]) / b;
            closedForm += freeBits > 0 ? Math.Max(dimension, freeBits) : dimension;
        }
        var rows = new List<LossExpectation>
        {
            new("reconstruction", reconstruction, tokens * perToken,
                $"near-uniform next-token guesses: ln {vocabulary} = {perToken:F2} nats per token × {tokens:F1} " +
                "predicted tokens per example (summed over tokens, averaged over the batch)"),
            new("kl", kl, closedForm,
                "½ Σ_k (μ_k² + σ_k² − 1 − log σ_k²) of this batch's μ and log σ², averaged over the batch" +
                (freeBits > 0 ? $", each dimension floored at {freeBits} nats (free bits)" : "") +
                "; 0 only if μ = 0 and σ = 1"),
        };
        if (rule is double r)
            rows.Add(new("rule", r, Math.Log(rules), $"a classifier near uniform over {rules} rules: ln {rules}"));
        return rows;
    }

    // [B, latent] tensor -> double[B, latent] on the CPU
    private static double[,] Matrix(Tensor t)
    {
        var flat = t.detach().to(ScalarType.Float64).cpu().data<double>().ToArray();
        int n = (int)t.size(0), d = (int)t.size(1);
        var m = new double[n, d];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < d; k++) m[i, k] = flat[i * d + k];
        return m;
    }
}

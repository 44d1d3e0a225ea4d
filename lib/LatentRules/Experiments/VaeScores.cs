using LatentRules.Evaluation;
using LatentRules.Models.Qwen2;
using LatentRules.Models.Vae;
using LatentRules.Tables;
using Microsoft.Data.Analysis;

namespace LatentRules.Experiments;

/// <summary>
/// Everything measured on one trained VAE (test split unless said otherwise), the scores every comparison in the
/// notebooks uses (injection strategies, sample counts, FFN vs attention).
/// <code>
/// VaeScores scores = VaeScores.Of(experiment, vae, limit: 100);
/// scores.ToTable("query")
/// </code>
/// </summary>
public sealed record VaeScores(
    GenerationScores Generation,  // generated conclusions: word accuracy, exact match, BLEU, verified
    LatentHealth Health,          // KL per dimension, active units, mutual information, collapse warning
    double Silhouette,            // of the test posterior means against the rules (-1..1)
    double KMeansAri,             // adjusted Rand index of k-means clusters (k = rules) against the rules
    double KMeansNmi,             // normalised mutual information of the same
    double ProbeAccuracy)         // linear probe trained on train means, accuracy on test means
{
    /// <summary>
    /// Scores a trained VAE on the test split (at most <paramref name="limit"/> examples for generation): generated
    /// conclusions checked by the task's verifier, latent health, and how well z separates rules
    /// (<see cref="LatentScores.Of"/>).
    /// </summary>
    public static VaeScores Of(VaeExperiment experiment, LanguageVae vae, GenerationConfig? generation = null,
        int limit = int.MaxValue, int seed = 0)
    {
        var latent = LatentScores.Of(experiment, vae, seed);
        var generated = latent.Examples.Take(limit).ToList();
        var written = ConclusionGeneration.FromPosteriors(vae, experiment.Examples, generated, generation);
        return new VaeScores(GenerationScores.Of(generated, written, experiment.Task),
            LatentHealth.Of(latent.Mu, latent.LogVar, seed),
            latent.Silhouette, latent.KMeansAri, latent.KMeansNmi, latent.ProbeAccuracy);
    }

    /// <summary>One table row's worth of the headline numbers, for comparisons across runs.</summary>
    public IReadOnlyDictionary<string, object?> Row() => new Dictionary<string, object?>
    {
        ["verified"] = System.Math.Round(Generation.Verified, 3),
        ["exact_match"] = System.Math.Round(Generation.ExactMatch, 3),
        ["bleu"] = System.Math.Round(Generation.Bleu, 3),
        ["silhouette"] = System.Math.Round(Silhouette, 3),
        ["kmeans_ari"] = System.Math.Round(KMeansAri, 3),
        ["kmeans_nmi"] = System.Math.Round(KMeansNmi, 3),
        ["probe_accuracy"] = System.Math.Round(ProbeAccuracy, 3),
        ["active_units"] = Health.ActiveUnits,
        ["kl"] = System.Math.Round(Health.TotalKl, 3),
        ["mi"] = System.Math.Round(Health.MutualInformation, 3),
    };

    /// <summary>The headline numbers as a one-row table, with an optional first column naming the run.</summary>
    public DataFrame ToTable(string? run = null)
    {
        var row = Row();
        var columns = (run is null ? Array.Empty<string>() : new[] { "run" }).Concat(row.Keys).ToList();
        var values = (run is null ? Array.Empty<object?>() : new object?[] { run }).Concat(row.Values).ToArray();
        return Frames.FromRows(columns, new[] { values });
    }
}

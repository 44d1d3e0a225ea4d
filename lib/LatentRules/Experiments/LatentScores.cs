using LatentRules.Analysis;
using LatentRules.Data;
using LatentRules.Models.Vae;

namespace LatentRules.Experiments;

/// <summary>
/// Where a split's examples land in z (posterior means) and how well that separates the rules. Generates nothing,
/// so it is what the cluster pictures and scores need.
/// <code>
/// var bySplit = LatentScores.BySplit(experiment, vae, seed, "valid", "test");
/// Charts.Scatter(Pca.Fit(bySplit["valid"].Mu, 2).Transform(bySplit["valid"].Mu), bySplit["valid"].Rules)
/// </code>
/// </summary>
public sealed record LatentScores(
    IReadOnlyList<ReasoningExample> Examples,   // the scored steps, in the order of Mu's rows
    double[,] Mu,                               // posterior means [examples, latent]
    double[,] LogVar,                           // posterior log-variances [examples, latent]
    double Silhouette,                          // of Mu against the rules (-1..1; NaN with one rule in the split)
    double KMeansAri,                           // k-means clusters (k = rules) against the rules
    double KMeansNmi,                           // the same, normalised mutual information
    double ProbeAccuracy,                       // linear probe trained on the training split's means
    double Chance)                              // 1 / rules: the probe's chance level
{
    public IReadOnlyList<string> Rules => Examples.Select(e => e.Rule).ToList();

    /// <summary>
    /// The test split (or the valid split, when there is no test): posterior means, silhouette, k-means ARI/NMI and
    /// a linear probe trained on the training split's means.
    /// </summary>
    public static LatentScores Of(VaeExperiment experiment, LanguageVae vae, int seed = 0)
    {
        var data = experiment.Data;
        var (name, split) = data.Test.Count > 0 ? ("test", data.Test) : ("valid", data.Valid);
        if (split.Count < 2)
            throw new ArgumentException(
                $"{experiment.Task.Name}: scoring needs at least 2 test (or validation) examples");
        return BySplit(experiment, vae, seed, name)[name];
    }

    /// <summary>
    /// <see cref="Of"/> for each named split ("train", "valid": in-distribution, "test": held-out groups; all three
    /// when none is named) with one probe, trained on the training split's means. Splits with fewer than 2 examples
    /// are left out.
    /// </summary>
    public static IReadOnlyDictionary<string, LatentScores> BySplit(VaeExperiment experiment, LanguageVae vae,
        int seed = 0, params string[] splits)
    {
        var (data, encoding, rules) = (experiment.Data, experiment.Examples, experiment.Rules.Count);
        var all = new Dictionary<string, IReadOnlyList<ReasoningExample>>
        { ["train"] = data.Train, ["valid"] = data.Valid, ["test"] = data.Test };
        if (splits.Length == 0) splits = all.Keys.ToArray();
        foreach (var s in splits)
            if (!all.ContainsKey(s))
                throw new ArgumentException($"unknown split '{s}'; splits are train, valid and test");
        var (trainMu, trainLogVar) = PosteriorEncoding.Points(vae, encoding, data.Train);
        var trainLabels = data.Train.Select(encoding.RuleLabel).ToArray();
        // accuracy needs no tighter fit
        var probe = LinearProbe.Fit(trainMu, trainLabels, maxIterations: 3000, tolerance: 1e-6);
        var result = new Dictionary<string, LatentScores>();
        foreach (var name in splits.Where(s => all[s].Count >= 2))
        {
            var examples = all[name];
            var (mu, logvar) = name == "train" ? (trainMu, trainLogVar) : PosteriorEncoding.Points(vae, encoding,
                examples);
            var labels = name == "train" ? trainLabels : examples.Select(encoding.RuleLabel).ToArray();
            bool twoRules = labels.Distinct().Count() >= 2;
            var clusters = KMeans.Fit(mu, rules, seed: seed).Labels;
            result[name] = new LatentScores(examples, mu, logvar,
                twoRules ? ClusterScores.Silhouette(mu, labels) : double.NaN,
                ClusterScores.AdjustedRandIndex(labels, clusters),
                    ClusterScores.NormalizedMutualInformation(labels, clusters),
                probe.Accuracy(mu, labels), 1.0 / rules);
        }
        return result;
    }

    /// <summary>
    /// How the rules separate in this one run, in words (not a verdict: one seed, no control): "separated in this run"
    /// when the probe reads the rule at least halfway from chance to perfect and the silhouette is above 0.25, "rule
    /// readable from z, clusters weak in this run" when only the first is true, otherwise "not separated in this run".
    /// The thresholds are the lab's; the study shows pictures.
    /// </summary>
    public string Separation()
    {
        bool readable = ProbeAccuracy >= Chance + (1 - Chance) / 2;
        return readable && Silhouette > 0.25 ? "separated in this run"
            : readable ? "rule readable from z, clusters weak in this run" : "not separated in this run";
    }
}

using LatentRules.Models.Vae;
using LatentRules.Tables;
using Microsoft.Data.Analysis;

namespace LatentRules.Analysis.ParameterSpace;

/// <summary>
/// The study's parameter-space comparison in one call: the rule separation of every parameter group of a VAE's
/// encoder (all, attention, FFN, and each per layer) over one rule-balanced sample, as a table, plus the
/// FFN-vs-attention verdict (finding 3: FFN layers keep rules apart better than attention layers).
/// </summary>
public sealed record SeparationReport(IReadOnlyList<RuleSeparation> Groups)
{
    /// <param name="output">the function differentiated: MeanJacobian (default) or another same-function output;
    /// RuleLogit is the earlier, biased measure (a different classifier row per rule)</param>
    /// <param name="decoder">measure the decoder's groups instead of the encoder's (use
    /// KernelOutput.Reconstruction)</param>
    /// <param name="only">which groups to measure, by name (null: all of them)</param>
    public static SeparationReport Of(LanguageVae vae, IReadOnlyList<VaeSequence> sample,
        KernelOutput output = KernelOutput.MeanJacobian, PadIds padIds = default, int seed = 0,
        bool decoder = false, Func<string, bool>? only = null)
    {
        var groups = (decoder ? ParameterGroups.OfDecoder(vae) : ParameterGroups.Of(vae))
            .Where(g => only is null || only(g.Key)).ToDictionary(g => g.Key, g => g.Value);
        if (groups.Count == 0) throw new ArgumentException("no parameter group is selected");
        var kernels = TangentKernel.ComputeGroups(vae, sample, groups, output, padIds);
        try
        {
            return new SeparationReport(groups.Keys.Select(name => RuleSeparation.Of(name, kernels[name], seed))
                .ToList());
        }
        finally
        {
            foreach (var k in kernels.Values) k.Dispose();
        }
    }

    public RuleSeparation this[string group] => Groups.FirstOrDefault(g => g.Group == group)
        ?? throw new KeyNotFoundException($"no group '{group}'; groups: " +
            $"{string.Join(", ", Groups.Select(g => g.Group))}");

    /// <summary>One row per group with rounded numbers.</summary>
    public DataFrame ToTable() => Frames.FromRows(
        new[] { "group", "parameters", "within", "across", "gap", "ratio", "silhouette", "kmeans_ari", "kmeans_nmi" },
        Groups.Select(g => new object?[]
        {
            g.Group, g.Parameters, Math.Round(g.Within, 4), Math.Round(g.Across, 4), Math.Round(g.Gap, 4),
            double.IsNaN(g.Ratio) ? null : Math.Round(g.Ratio, 3),
            Math.Round(g.Silhouette, 3), Math.Round(g.KMeansAri, 3), Math.Round(g.KMeansNmi, 3),
        }));

    /// <summary>
    /// Which group separates the rules more in this one run, by the within-across gap and by silhouette: words, not a
    /// verdict (one seed, no control; the verdict over seeds is the tangent-kernel experiment's).
    /// </summary>
    public string Comparison()
    {
        var (ffn, attention) = (this["ffn"], this["attention"]);
        bool gap = ffn.Gap > attention.Gap, silhouette = ffn.Silhouette > attention.Silhouette;
        return gap && silhouette ? "FFN above attention on both measures"
            : gap || silhouette ? "FFN above attention on one of the two measures"
            : "attention at or above FFN on both measures";
    }

    /// <summary>The FFN-vs-attention numbers of this run, in a sentence.</summary>
    public string Describe()
    {
        var ffn = this["ffn"];
        var attention = this["attention"];
        return $"In this run (one seed, no control): within-across similarity gap FFN {ffn.Gap:F4} vs attention " +
               $"{attention.Gap:F4}; silhouette of the gradients FFN {ffn.Silhouette:F3} vs attention " +
               $"{attention.Silhouette:F3}: {Comparison()}.";
    }
}

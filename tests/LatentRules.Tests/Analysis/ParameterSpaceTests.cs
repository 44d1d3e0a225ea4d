using LatentRules.Analysis.ParameterSpace;
using LatentRules.Models.Bert;
using LatentRules.Models.Qwen2;
using LatentRules.Models.Vae;
using LatentRules.Tests.Support;
using LatentRules.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace LatentRules.Tests.Analysis;

[Collection("torch")]
public sealed class ParameterSpaceTests
{
    private static LanguageVae Model()
    {
        manual_seed(2);
        return new LanguageVae(
            TinyVae.Sized(vocab: 20, hidden: 16, encoderLayers: 2, heads: 2, intermediate: 24, kvHeads: 1) with
            {
                LatentSize = 3,
                Injection = Injection.Query,
                RuleCount = 2,
            });
    }

    private static readonly VaeSequence[] Examples =
    {
        VaeSequence.Autoencode(new[] { 1, 5, 6, 2 }, 0), VaeSequence.Autoencode(new[] { 1, 5, 7, 8, 2 }, 0),
        VaeSequence.Autoencode(new[] { 1, 9, 10, 2 }, 1), VaeSequence.Autoencode(new[] { 1, 11, 9, 2 }, 1),
    };

    [Fact]
    public void GroupsHoldTheEncodersAttentionAndFeedForwardMatrices()
    {
        using var vae = Model();
        var groups = ParameterGroups.Of(vae);
        Assert.Equal(new[] { "all", "attention", "ffn", "attention.layer0", "attention.layer1", "ffn.layer0",
            "ffn.layer1" }, groups.Keys);
        Assert.Equal(new[] { "encoder.encoder.layer.1.attention.self.query.weight",
            "encoder.encoder.layer.1.attention.self.key.weight",
            "encoder.encoder.layer.1.attention.self.value.weight",
            "encoder.encoder.layer.1.attention.output.dense.weight" },
            groups["attention.layer1"].Select(g => g.name));
        Assert.Equal(new[] { "encoder.encoder.layer.0.intermediate.dense.weight",
            "encoder.encoder.layer.0.output.dense.weight" }, groups["ffn.layer0"].Select(g => g.name));
        Assert.Equal(2 * (4 * 16 * 16), groups["attention"].Sum(g => g.parameter.numel()));
        Assert.Contains(groups["all"], g => g.name == "encoder.embeddings.word_embeddings.weight");
        Assert.DoesNotContain(groups["all"], g => g.name.StartsWith("decoder.", StringComparison.Ordinal));
        var decoder = ParameterGroups.OfDecoder(vae);
        Assert.Equal(groups.Keys, decoder.Keys);
        Assert.Equal(new[] { "decoder.model.layers.0.mlp.gate_proj.weight", "decoder.model.layers.0.mlp.up_proj.weight",
            "decoder.model.layers.0.mlp.down_proj.weight" },
            decoder["ffn.layer0"].Select(g => g.name));
        Assert.Equal(4, decoder["attention.layer1"].Count);
    }

    [Theory]
    [InlineData(KernelOutput.RuleLogit, false)]
    [InlineData(KernelOutput.MeanOfZ, false)]
    [InlineData(KernelOutput.RuleLogitSum, false)]
    [InlineData(KernelOutput.Reconstruction, true)]
    public void PerExampleGradientsMatchFiniteDifferences(KernelOutput output, bool decoderGroup)
    {
        using var vae = Model();
        vae.to(float64);
        vae.eval();
        var group = (decoderGroup ? ParameterGroups.OfDecoder(vae) : ParameterGroups.Of(vae))["ffn.layer1"];
        using var kernel = TangentKernel.Compute(vae, Examples, group, output);
        long width = kernel.Gradients!.size(1);
        Assert.Equal(group.Sum(g => g.parameter.numel()), width);
        var rows = kernel.Gradients.to(float64).ToArray<double>();

        double F(VaeSequence e)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            using var batch = new VaeBatch(new[] { e }, 0, CPU);
            var (mu, _) = vae.Encode(batch.EncoderIds, batch.EncoderMask);
            return output switch
            {
                KernelOutput.RuleLogit => vae.rule_classifier!.forward(mu)[0, e.Rule!.Value].ToDouble(),
                KernelOutput.MeanOfZ => mu.sum().ToDouble(),
                KernelOutput.RuleLogitSum => vae.rule_classifier!.forward(mu).sum().ToDouble(),
                _ => vae.Loss(batch.EncoderIds, batch.EncoderMask, batch.DecoderIds, batch.DecoderMask, batch.Targets,
                    0).Reconstruction.ToDouble(),
            };
        }
        var weight = group[1].parameter;                         // the group's second matrix, after the first's entries
        long offset = group[0].parameter.numel(), cols = weight.size(1);
        foreach (long flat in new long[] { 0, 37, 300 })
            for (int i = 0; i < Examples.Length; i++)
            {
                long r = flat / cols, c = flat % cols;
                double original;
                using (no_grad()) original = weight[r, c].ToDouble();
                const double h = 1e-6;
                using (no_grad()) weight[r, c].fill_(original + h);
                double up = F(Examples[i]);
                using (no_grad()) weight[r, c].fill_(original - h);
                double down = F(Examples[i]);
                using (no_grad()) weight[r, c].fill_(original);
                double numeric = (up - down) / (2 * h);
                double analytic = rows[i * width + offset + flat];
                Assert.True(Math.Abs(numeric - analytic) <= 1e-6 + 1e-5 * Math.Abs(numeric),
                    $"example {i}, entry {flat}: {analytic} vs finite difference {numeric}");
            }
    }

    [Fact]
    public void JacobianKernelMatchesFiniteDifferenceJacobians()
    {
        // Theta(a, b) = sum_k <d mu_k(a)/d theta, d mu_k(b)/d theta>, from a Jacobian taken entry by entry by central
        // differences over every parameter of the group; the kernel is accumulated per component and never holds the
        // Jacobian. A narrower model than Model() keeps the differences few (48 parameters x 2 x 4 examples).
        manual_seed(3);
        using var vae = new LanguageVae(new VaeConfig
        {
            Encoder = new BertConfig
            {
                VocabSize = 20, HiddenSize = 4, NumHiddenLayers = 2, NumAttentionHeads = 2,
                IntermediateSize = 6
            },
            Decoder = Qwen2Config.Tiny(vocab: 20) with
            {
                HiddenSize = 8,
                IntermediateSize = 8,
                NumAttentionHeads = 2,
                NumKeyValueHeads = 1
            },
            LatentSize = 3, Injection = Injection.Query, RuleCount = 2,
        });
        vae.to(float64);
        vae.eval();
        var group = ParameterGroups.Of(vae)["ffn.layer1"];
        using var kernel = TangentKernel.Compute(vae, Examples, group, KernelOutput.MeanJacobian);
        Assert.Null(kernel.Gradients);
        Assert.Equal(group.Sum(g => g.parameter.numel()), kernel.Parameters);
        double[] Mu(VaeSequence e)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            using var batch = new VaeBatch(new[] { e }, 0, CPU);
            return vae.Encode(batch.EncoderIds, batch.EncoderMask).mu.reshape(-1).ToArray<double>();
        }
        int n = Examples.Length, latent = vae.Config.LatentSize;
        // per example: one [latent] column per parameter
        var jacobian = new List<double[]>[n];
        for (int i = 0; i < n; i++) jacobian[i] = new();
        const double h = 1e-6;
        foreach (var (_, p) in group)
        {
            var flat = p.view(-1);
            for (long e = 0; e < flat.numel(); e++)
            {
                double original;
                using (no_grad()) original = flat[e].ToDouble();
                using (no_grad()) flat[e].fill_(original + h);
                var up = Examples.Select(Mu).ToArray();
                using (no_grad()) flat[e].fill_(original - h);
                var down = Examples.Select(Mu).ToArray();
                using (no_grad()) flat[e].fill_(original);
                for (int i = 0; i < n; i++)
                    jacobian[i].Add(Enumerable.Range(0, latent).Select(k => (up[i][k] - down[i][k]) / (2 * h))
                        .ToArray());
            }
        }
        var gram = kernel.Gram();
        for (int a = 0; a < n; a++)
            for (int b = 0; b < n; b++)
            {
                double numeric = 0;
                for (int c = 0; c < jacobian[a].Count; c++)
                    for (int k = 0; k < latent; k++) numeric += jacobian[a][c][k] * jacobian[b][c][k];
                Assert.True(Math.Abs(numeric - gram[a, b]) <= 1e-7 + 1e-6 * Math.Abs(numeric),
                    $"Theta({a}, {b}): {gram[a, b]} vs finite differences {numeric}");
            }
        // Computing several groups at once gives each group the kernel it gets alone.
        var both = TangentKernel.ComputeGroups(vae, Examples,
            ParameterGroups.Of(vae).Where(g => g.Key is "ffn.layer1" or "attention")
                .ToDictionary(g => g.Key, g => g.Value));
        Assert.Equal(gram, both["ffn.layer1"].Gram());
        // Column blocks of 7 per example (tensors cut inside, blocks spanning tensors and groups) only change the
        // memory.
        var groups = ParameterGroups.Of(vae).Where(g => g.Key is "ffn.layer1" or "attention")
            .ToDictionary(g => g.Key, g => g.Value);
        var blocked = TangentKernel.ComputeGroups(vae, Examples, groups, blockBytes: 7 * 4 * n);
        foreach (var name in groups.Keys)
        {
            var (whole, pieces) = (both[name].Gram(), blocked[name].Gram());
            for (int a = 0; a < n; a++)
                for (int b = 0; b < n; b++) Assert.Equal(whole[a, b], pieces[a, b], 1e-9 * (1 + Math.Abs(whole[a, b])));
            // rows are not kept across blocks
            Assert.Null(blocked[name].Gradients);
        }
        foreach (var k in both.Values.Concat(blocked.Values)) k.Dispose();
    }

    [Fact]
    public void SeparationMatchesHandComputedCosines()
    {
        // Rule 0 points along x, rule 1 along y, each with a small tilt.
        var g = tensor(new double[] { 1, 0, 1, 0.1, 0, 1, 0.1, 1 }, new long[] { 4, 2 });
        using var kernel = TangentKernel.FromGradients(g, new[] { 0, 0, 1, 1 });
        var s = RuleSeparation.Of("toy", kernel);
        double c = 1 / Math.Sqrt(1.01);                          // cos between (1, 0) and (1, 0.1)
        Assert.Equal(c, s.Within, 12);                           // both same-rule pairs
        Assert.Equal((0 + 0.1 * c + 0.1 * c + 0.2 / 1.01) / 4, s.Across, 12);
        Assert.Equal(s.Within / s.Across, s.Ratio, 12);
        Assert.Equal(s.Within - s.Across, s.Gap, 12);
        Assert.Equal(1.0, s.KMeansAri, 12);
        Assert.True(s.Silhouette > 0.8);
        var gram = kernel.Gram();
        Assert.Equal(1.01, gram[1, 1], 12);
        Assert.Equal(0.2, gram[1, 3], 12);
        Assert.Contains("must be [3, P]",
            Assert.Throws<ArgumentException>(() => TangentKernel.FromGradients(zeros(4, 2), new[] { 0, 1, 0 }))
                .Message);
        using var one = TangentKernel.FromGradients(zeros(2, 2), new[] { 1, 1 });
        Assert.Contains("at least 2 rules",
            Assert.Throws<ArgumentException>(() => RuleSeparation.Of("x", one)).Message);
    }

    [Fact]
    public void ReportCoversEveryGroupAndStatesTheFinding()
    {
        using var vae = Model();
        var report = SeparationReport.Of(vae, Examples);
        Assert.Equal(ParameterGroups.Of(vae).Keys, report.Groups.Select(g => g.Group));
        var table = report.ToTable();
        Assert.Equal(7, table.Rows.Count);
        Assert.All(report.Groups, g => Assert.InRange(g.Within, -1, 1));
        Assert.Matches(@"^In this run \(one seed, no control\): within-across similarity gap FFN -?\d",
            report.Describe());
        bool gap = report["ffn"].Gap > report["attention"].Gap;
        bool silhouette = report["ffn"].Silhouette > report["attention"].Silhouette;
        Assert.Equal(gap && silhouette ? "FFN above attention on both measures"
            : gap || silhouette ? "FFN above attention on one of the two measures"
            : "attention at or above FFN on both measures", report.Comparison());
        Assert.Contains("no group 'mlp'", Assert.Throws<KeyNotFoundException>(() => report["mlp"]).Message);
    }
}

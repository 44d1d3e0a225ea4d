using LatentRules.Data;
using LatentRules.Evaluation;
using LatentRules.Experiments;
using LatentRules.Models.Qwen2;
using LatentRules.Models.Vae;
using LatentRules.Tests.Support;
using LatentRules.Training;
using static TorchSharp.torch;

namespace LatentRules.Tests.Evaluation;

/// <summary>Rule steering: its shares on hand-checked math outputs, and no effect from a decoder that cannot see
/// z.</summary>
[Collection("torch")]
public sealed class RuleSteeringTests
{
    private static readonly IReasoningTask Math = ReasoningTasks.Get("math");
    private static readonly string[] Rules = { "differentiation", "integration" };

    private static ReasoningExample Item(string id, string rule, string premise, string conclusion) =>
        new(id, "math", rule, new[] { premise }, conclusion, new Dictionary<string, string> { ["variable"] = "x" });

    [Fact]
    public void SharesCountWhatTheVerifierAcceptsUnderEachRule()
    {
        var items = new[]
        {
            Item("a", "differentiation", "x^{2}", "2 x"),
            Item("b", "integration", "\\cos{(x)}", "\\sin{(x)}"),
        };
        // a: own rule's z writes its derivative, integration's z writes an antiderivative (steered);
        // b: both z write sin x, which is b's antiderivative but not its derivative (not steered).
        var outputs = new Dictionary<(int, int), string>
        {
            [(0, 0)] = "2 x", [(0, 1)] = "\\frac{x^{3}}{3}",
            [(1, 0)] = "\\sin{(x)}", [(1, 1)] = "\\sin{(x)}",
        };
        var s = RuleSteering.Score(items, Rules, (i, r) => outputs[(i, r)],
            (e, rule, o) => Math.Verify(e with { Rule = rule }, o).Correct);
        Assert.Equal(2, s.Items);
        Assert.Equal(2, s.Pairs);
        Assert.Equal(0.5, s.Steered);     // (a, integration) follows; (b, differentiation) does not
        Assert.Equal(0.0, s.Unsteered);   // 2 x is no antiderivative of x^2; sin x is not the derivative of cos x
        Assert.Equal(1.0, s.OwnRule);
        Assert.Equal(0.5, s.Effect);

        // An output that fits both rules (e^x is its own derivative and antiderivative) counts as following both.
        var both = new[] { Item("c", "differentiation", "e^{x}", "e^{x}") };
        var fits = RuleSteering.Score(both, Rules, (_, _) => "e^{x}",
            (e, rule, o) => Math.Verify(e with { Rule = rule }, o).Correct);
        Assert.Equal((1.0, 1.0, 0.0), (fits.Steered, fits.Unsteered, fits.Effect));
    }

    [Fact]
    public void ADecoderThatCannotSeeZIsNotSteeredAndOneThatCanWritesDifferently()
    {
        var data = Math.Generate(new GenerationOptions(Size: 80, Seed: 2));
        var experiment = VaeExperiment.Prepare(Math, data, TargetMode.Inference, encoderReadsConclusion: true);
        var items = data.Valid.Take(6).ToList();
        var means = new double[,] { { 2, -2, 1, 0 }, { -2, 2, -1, 0 } };
        manual_seed(5);
        // z added to the token embeddings, scaled up: at random weights it then decides which token comes next
        var config =
            experiment.ModelConfig(TinyVae.Config with { RuleToDecoder = false, Injection = Injection.Embedding });
        using var seeing = new LanguageVae(config);
        foreach (var p in seeing.injection.parameters()) using (no_grad()) p.mul_(30);
        manual_seed(5);
        using var blind = new LanguageVae(config);
        blind.injection.ZeroProjections();

        var options = new GenerationConfig(MaxNewTokens: 8);
        var z0 = Repeat(means, 0, items.Count);
        var z1 = Repeat(means, 1, items.Count);
        Assert.Equal(ConclusionGeneration.FromLatents(blind, experiment.Examples, items, z0, options: options),
            ConclusionGeneration.FromLatents(blind, experiment.Examples, items, z1, options: options));
        Assert.NotEqual(ConclusionGeneration.FromLatents(seeing, experiment.Examples, items, z0, options: options),
            ConclusionGeneration.FromLatents(seeing, experiment.Examples, items, z1, options: options));

        var steering = RuleSteering.Of(blind, experiment.Examples, Math, items, means, options);
        Assert.Equal(6, steering.Items);
        Assert.Equal(steering.Unsteered, steering.Steered);
        Assert.Equal(0, steering.Effect);

        var syllogistic = ReasoningTasks.Get("syllogistic");
        Assert.Contains("the premises fix the rule", Assert.Throws<ArgumentException>(() =>
            RuleSteering.Of(blind, experiment.Examples, syllogistic, items, means)).Message);
    }

    [Fact]
    public void InInferenceModeLatentsEqualToThePosteriorMeansWriteWhatThePosteriorsWrite()
    {
        var data = Math.Generate(new GenerationOptions(Size: 80, Seed: 3));
        var experiment = VaeExperiment.Prepare(Math, data, TargetMode.Inference, encoderReadsConclusion: true);
        var items = data.Valid.Take(5).ToList();
        manual_seed(6);
        using var vae = new LanguageVae(experiment.ModelConfig(TinyVae.Config with { RuleToDecoder = true }));
        var options = new GenerationConfig(MaxNewTokens: 8);
        var (mu, _) = PosteriorEncoding.Points(vae, experiment.Examples, items);
        var labels = items.Select(experiment.Examples.RuleLabel).ToList();
        Assert.Equal(ConclusionGeneration.FromPosteriors(vae, experiment.Examples, items, options),
            ConclusionGeneration.FromLatents(vae, experiment.Examples, items, mu, labels, options));
        Assert.Contains("pass one rule label per item", Assert.Throws<ArgumentException>(() =>
            ConclusionGeneration.FromLatents(vae, experiment.Examples, items, mu)).Message);
    }

    private static double[,] Repeat(double[,] rows, int r, int n)
    {
        var z = new double[n, rows.GetLength(1)];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < rows.GetLength(1); k++) z[i, k] = rows[r, k];
        return z;
    }
}

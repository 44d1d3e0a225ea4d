using System.Diagnostics;
using LatentRules.Analysis.ParameterSpace;
using LatentRules.Data;
using LatentRules.Models.Vae;
using LatentRules.Training;
using static TorchSharp.torch;

namespace LatentRules.Experiments;

/// <summary>
/// Finding 3 measured so that it can be trusted: for each seed, a small supervised VAE is trained in the study's two
/// stages (as notebook 03), and the within-minus-across rule gap of its encoder's FFN and attention tangent kernels is
/// measured with one function for every example (<see cref="TangentKernelConfig.Output"/>), beside two controls: the
/// same architecture and initialisation untrained, and a permutation null of the labels. Over seeds: mean, sd and a
/// t-interval of FFN gap - attention gap, and a verdict by a rule fixed in advance
/// (<see cref="TangentKernelReport.Rule"/>).
/// <code>
/// var report = TangentKernelExperiment.Run(SmallPreset.Preset.TangentKernel with { Seeds = new[] { 1, 2, 3 } },
///     Console.Out);
/// report.Write("ntk.json");
/// </code>
/// </summary>
public static class TangentKernelExperiment
{
    public const string Name = "tangent-kernel";
    public const string Claim = "training makes the encoder's FFN keep rules apart more than its attention";

    /// <summary>
    /// The primary analysis: per seed, (FFN gap - attention gap) of the trained encoder minus that of the untrained
    /// one (same initialisation), read against the untrained encoder and the label-permutation null.
    /// </summary>
    public static FindingDefinition Definition { get; } = new(Name, Claim, "trained - untrained",
        "ffn_minus_attention", new[] { "untrained" }, TangentKernelReport.Rule, Margin: null);

    /// <summary>
    /// One seed's data made ready: the experiment (tokenizer, encodings) and the rule-balanced held-out kernel sample.
    /// </summary>
    public sealed record PreparedSeed(int Seed, VaeExperiment Experiment, IReadOnlyList<VaeSequence> Sample);

    public static TangentKernelReport Run(TangentKernelConfig config, TextWriter? log = null)
    {
        var clock = Stopwatch.StartNew();
        var prepared = Prepare(config);                                   // every seed checked before any training
        var measures = new List<SeedMeasure>();
        var cosines = new List<(string encoder, string group, double[,] cosine, IReadOnlyList<int> labels)>();
        foreach (var seed in prepared)
        {
            var labels = seed.Sample.Select(s => s.Rule!.Value).ToArray();
            var vaeConfig = seed.Experiment.ModelConfig(config.Vae);
            // TrainOrLoad seeds the same way: the trained model starts here
            manual_seed(seed.Seed);
            using (var untrained = config.Weights.NewVae(vaeConfig))
                measures.Add(Measure("untrained", untrained, seed, labels, config, cosines));
            log?.WriteLine($"seed {seed.Seed}: untrained measured ({clock.Elapsed.TotalSeconds:F0} s); training " +
                $"{config.EncoderSteps} + {config.Steps} steps");
            var (trained, _) = RunStore.TrainOrLoad(seed.Experiment, vaeConfig, Trainer(config, seed.Seed),
                config.EncoderSteps, weights: config.Weights);
            using (trained) measures.Add(Measure("trained", trained, seed, labels, config, cosines));
            log?.WriteLine($"seed {seed.Seed}: trained measured ({clock.Elapsed.TotalSeconds:F0} s)");
        }
        EncoderSummary Summary(string encoder)
        {
            var mine = measures.Where(m => m.Encoder == encoder).ToList();
            double P(string group) =>
                PermutationNull.OfMean(cosines.Where(c => c.encoder == encoder && c.group == group)
                    .Select(c => (c.cosine, c.labels)).ToList(), config.Permutations, seed: 0).PValue;
            double Gap(string group) => mine.Average(m => m.Groups.First(g => g.Group == group).Gap);
            var ffn = cosines.Where(c => c.encoder == encoder && c.group == "ffn").ToList();
            var attention = cosines.Where(c => c.encoder == encoder && c.group == "attention").ToList();
            double difference = PermutationNull.OfMeanDifference(
                ffn.Zip(attention, (f, a) => (f.cosine, a.cosine, f.labels)).ToList(), config.Permutations, seed: 0)
                .PValue;
            return new EncoderSummary(encoder, SeedInterval.Of(mine.Select(m => m.FfnMinusAttention).ToList()),
                Gap("ffn"), Gap("attention"), P("ffn"), P("attention"), difference);
        }
        var (trainedSummary, untrainedSummary) = (Summary("trained"), Summary("untrained"));
        var ordered = measures.OrderBy(m => m.Seed).ThenBy(m => m.Encoder == "trained" ? 0 : 1).ToList();
        return TangentKernelReport.Conclude(config, prepared[0].Experiment.Rules, ordered, trainedSummary,
            untrainedSummary, clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Validates the config, generates every seed's data and draws its kernel sample: the first
    /// <see cref="TangentKernelConfig.PerRule"/> test examples of each rule. Refuses, naming the option, when a split
    /// is empty or a rule has too few test examples.
    /// </summary>
    public static IReadOnlyList<PreparedSeed> Prepare(TangentKernelConfig config)
    {
        config.Validate();
        var task = ExperimentFiles.Task(config.DataFile, config.Task);
        string sizeOption = config.DataFile is { } file ? $"--data {file}" : $"--size {config.Size}";
        var result = new List<PreparedSeed>();
        foreach (int seed in config.Seeds)
        {
            var splits = task.Generate(new GenerationOptions(config.Size, seed));
            foreach (var (name, split) in
                new[] { ("train", splits.Train), ("valid", splits.Valid), ("test", splits.Test) })
                if (split.Count == 0)
                    throw new ArgumentException($"{sizeOption} leaves the {name} split of {task.Name} empty " +
                        $"(seed {seed}); raise --size or give more examples");
            var experiment = VaeExperiment.Prepare(task, splits, TargetMode.Autoencoding,
                tokenizer: config.Weights.DecoderTokenizer(), encoderTokenizer: config.Weights.EncoderTokenizer());
            var byRule = splits.Test.GroupBy(e => e.Rule).ToDictionary(g => g.Key, g => g.ToList());
            foreach (var rule in experiment.Rules)
            {
                int have = byRule.TryGetValue(rule, out var list) ? list.Count : 0;
                if (have < config.PerRule)
                    throw new ArgumentException($"--per-rule {config.PerRule}: rule '{rule}' has only {have} test " +
                                                $"examples at {sizeOption} (seed {seed}); " +
                                                "raise --size (or give more examples) or lower --per-rule (at least " +
                                                TangentKernelConfig.MinPerRule + ")");
            }
            var sample = experiment.Rules.SelectMany(r => byRule[r].Take(config.PerRule)).ToList();
            result.Add(new PreparedSeed(seed, experiment, experiment.Examples.Build(sample)));
        }
        return result;
    }

    // The preset's recipe for the seed's stage 2 (stage 1 takes its warm-up and seed from it).
    private static TrainerConfig Trainer(TangentKernelConfig config, int seed) =>
        config.Recipe.For(config.Steps, seed, config.Device);

    /// <summary>
    /// The FFN and attention groups (all layers and per layer) of one encoder, each with its permutation null.
    /// </summary>
    private static SeedMeasure Measure(string encoder, LanguageVae vae, PreparedSeed seed, int[] labels,
        TangentKernelConfig config, List<(string, string, double[,], IReadOnlyList<int>)> cosines)
    {
        var report = SeparationReport.Of(vae, seed.Sample, config.Output, seed.Experiment.Examples.PadIds, seed.Seed,
            only: g => g.StartsWith("ffn", StringComparison.Ordinal)
                || g.StartsWith("attention", StringComparison.Ordinal));
        var groups = report.Groups.Select(g =>
        {
            var null_ = PermutationNull.Of(g.Cosine, labels, config.Permutations, seed.Seed);
            cosines.Add((encoder, g.Group, g.Cosine, labels));
            return new GroupMeasure(g.Group, g.Parameters, g.Within, g.Across, g.Gap, null_.NullMean, null_.PValue);
        }).ToList();
        return new SeedMeasure(seed.Seed, encoder, labels.Length, report["ffn"].Gap - report["attention"].Gap, groups);
    }
}

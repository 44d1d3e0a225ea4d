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

    /// <summary>The encoders measured per seed, in the order they are measured (the arms of the parts).</summary>
    public static readonly IReadOnlyList<string> Encoders = new[] { "untrained", "trained" };

    /// <summary>
    /// Measures every seed's untrained and trained encoder and concludes. With <paramref name="parts"/> each (seed,
    /// encoder) measure, with its FFN and attention cosine matrices, is saved there as soon as it is measured and a
    /// saved one is loaded instead (<see cref="RunParts"/>); a seed whose encoders are both saved is not generated.
    /// With more than one worker (<see cref="TangentKernelConfig.Workers"/>, one per core by default) the seeds are
    /// trained in child processes first (<see cref="SeedWorkers"/>).
    /// </summary>
    public static TangentKernelReport Run(TangentKernelConfig config, TextWriter? log = null, string? parts = null)
    {
        config.Validate();
        return SeedWorkers.Spread(Name, config, parts, log, (folder, clock) => RunHere(config, log, folder, clock));
    }

    // The run in this process (its seeds trained one after another, or loaded from the parts the workers saved).
    private static TangentKernelReport RunHere(TangentKernelConfig config, TextWriter? log, string? parts,
        Stopwatch clock)
    {
        var store = RunParts.Open(parts, new ExperimentDefinition<TangentKernelConfig>(Definition, config), log);
        var saved = config.Seeds.Select(seed => store.LoadSeed<SeedMeasure>(seed, Encoders)).ToList();
        var task = ExperimentFiles.Task(config.DataFile, config.Task);
        // every seed with something to measure is checked before any training
        var prepared = config.Seeds.Select((seed, i) =>
            saved[i].All(p => p is not null) ? null : PrepareSeed(config, task, seed)).ToList();
        var rules = prepared.FirstOrDefault(p => p is not null)?.Experiment.Rules ?? saved[0][0]!.Rules;
        var measures = new List<SeedMeasure>();
        for (int i = 0; i < config.Seeds.Count; i++)
        {
            if (prepared[i] is not { } seed)
            {
                measures.AddRange(saved[i].Select(p => p!.Value));
                continue;
            }
            var labels = seed.Sample.Select(s => s.Rule!.Value).ToArray();
            var vaeConfig = seed.Experiment.ModelConfig(config.Vae);
            if (saved[i][0] is { } untrainedPart) measures.Add(untrainedPart.Value);
            else
            {
                // TrainOrLoad seeds the same way: the trained model starts here
                manual_seed(seed.Seed);
                using var untrained = config.Weights.NewVae(vaeConfig);
                measures.Add(Measure("untrained", untrained, seed, labels, config));
                store.Save(seed.Seed, "untrained", rules, measures[^1]);
                log?.WriteLine($"seed {seed.Seed}: untrained measured ({clock.Elapsed.TotalSeconds:F0} s); " +
                    $"training {config.EncoderSteps} + {config.Steps} steps");
            }
            if (saved[i][1] is { } trainedPart) measures.Add(trainedPart.Value);
            else
            {
                var (trained, _) = RunStore.TrainOrLoad(seed.Experiment, vaeConfig, Trainer(config, seed.Seed),
                    config.EncoderSteps, weights: config.Weights);
                using (trained) measures.Add(Measure("trained", trained, seed, labels, config));
                store.Save(seed.Seed, "trained", rules, measures[^1]);
                log?.WriteLine($"seed {seed.Seed}: trained measured ({clock.Elapsed.TotalSeconds:F0} s)");
            }
        }
        return Conclude(config, rules, measures, clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// The report of finished measures (every seed's two encoders, each with its <see cref="KernelCosines"/>): per
    /// encoder the interval over seeds and the permutation nulls pooled over seeds (seeds in ascending order), the
    /// paired effect and the verdict. A measure without cosines, or with matrices that do not fit its labels, is an
    /// error naming the seed.
    /// </summary>
    public static TangentKernelReport Conclude(TangentKernelConfig config, IReadOnlyList<string> rules,
        IReadOnlyList<SeedMeasure> seeds, double seconds)
    {
        var ordered = seeds.OrderBy(m => m.Seed).ThenBy(m => m.Encoder == "trained" ? 0 : 1).ToList();
        foreach (var m in ordered)
            if (m.Cosines is not { } c || new[] { c.Ffn, c.Attention }.Any(rows =>
                    rows.Length != c.Labels.Count || rows.Any(r => r.Length != c.Labels.Count)))
                throw new InvalidDataException($"seed {m.Seed}, {m.Encoder}: no FFN and attention cosine matrices " +
                    "that fit its labels (cosines); the pooled permutation nulls need them");
        EncoderSummary Summary(string encoder)
        {
            var mine = ordered.Where(m => m.Encoder == encoder).ToList();
            var ffn = mine.Select(m => (cosine: KernelCosines.Matrix(m.Cosines!.Ffn), labels: m.Cosines.Labels))
                .ToList();
            var attention = mine.Select(m =>
                (cosine: KernelCosines.Matrix(m.Cosines!.Attention), labels: m.Cosines.Labels)).ToList();
            double P(List<(double[,] cosine, IReadOnlyList<int> labels)> runs) =>
                PermutationNull.OfMean(runs, config.Permutations, seed: 0).PValue;
            double Gap(string group) => mine.Average(m => m.Groups.First(g => g.Group == group).Gap);
            double difference = PermutationNull.OfMeanDifference(
                ffn.Zip(attention, (f, a) => (f.cosine, a.cosine, f.labels)).ToList(), config.Permutations, seed: 0)
                .PValue;
            return new EncoderSummary(encoder, SeedInterval.Of(mine.Select(m => m.FfnMinusAttention).ToList()),
                Gap("ffn"), Gap("attention"), P(ffn), P(attention), difference);
        }
        return TangentKernelReport.Conclude(config, rules, ordered, Summary("trained"), Summary("untrained"),
            seconds);
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
        return config.Seeds.Select(seed => PrepareSeed(config, task, seed)).ToList();
    }

    // One seed of Prepare.
    private static PreparedSeed PrepareSeed(TangentKernelConfig config, IReasoningTask task, int seed)
    {
        string sizeOption = config.DataFile is { } file ? $"--data {file}" : $"--size {config.Size}";
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
                                            $"examples at {sizeOption} (seed {seed}); raise --size (or give more " +
                                            "examples) or lower --per-rule (at least " +
                                            $"{TangentKernelConfig.MinPerRule})");
        }
        var sample = experiment.Rules.SelectMany(r => byRule[r].Take(config.PerRule)).ToList();
        return new PreparedSeed(seed, experiment, experiment.Examples.Build(sample));
    }

    // The preset's recipe for the seed's stage 2 (stage 1 takes its warm-up and seed from it).
    private static TrainerConfig Trainer(TangentKernelConfig config, int seed) =>
        config.Recipe.For(config.Steps, seed, config.Device);

    /// <summary>
    /// The FFN and attention groups (all layers and per layer) of one encoder, each with its permutation null, and the
    /// all-layer FFN and attention cosine matrices.
    /// </summary>
    private static SeedMeasure Measure(string encoder, LanguageVae vae, PreparedSeed seed, int[] labels,
        TangentKernelConfig config)
    {
        var report = SeparationReport.Of(vae, seed.Sample, config.Output, seed.Experiment.Examples.PadIds, seed.Seed,
            only: g => g.StartsWith("ffn", StringComparison.Ordinal)
                || g.StartsWith("attention", StringComparison.Ordinal));
        var groups = report.Groups.Select(g =>
        {
            var null_ = PermutationNull.Of(g.Cosine, labels, config.Permutations, seed.Seed);
            return new GroupMeasure(g.Group, g.Parameters, g.Within, g.Across, g.Gap, null_.NullMean, null_.PValue);
        }).ToList();
        var cosines = new KernelCosines(labels, KernelCosines.Rows(report["ffn"].Cosine),
            KernelCosines.Rows(report["attention"].Cosine));
        return new SeedMeasure(seed.Seed, encoder, labels.Length, report["ffn"].Gap - report["attention"].Gap, groups,
            cosines);
    }
}

using LatentRules.Analysis;
using LatentRules.Data;
using LatentRules.Evaluation;
using LatentRules.Models.Vae;
using LatentRules.Tables;
using LatentRules.Tokenizers;
using LatentRules.Torch;
using TorchSharp;
using static TorchSharp.torch;
using LatentRules.Torch.Serialization;
using Microsoft.Data.Analysis;

namespace LatentRules.Training;

/// <summary>Everything measured on one trained VAE (test split unless said otherwise).</summary>
public sealed record VaeScores(
    GenerationScores Generation,  // generated conclusions: word accuracy, exact match, BLEU, verified
    LatentHealth Health,          // KL per dimension, active units, mutual information, collapse warning
    double Silhouette,            // of the test posterior means against the rules (-1..1)
    double KMeansAri,             // adjusted Rand index of k-means clusters (k = rules) against the rules
    double KMeansNmi,             // normalised mutual information of the same
    double ProbeAccuracy)         // linear probe trained on train means, accuracy on test means
{
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
        return Frames.FromRows((run is null ? Array.Empty<string>() : new[] { "run" }).Concat(row.Keys).ToList(),
            new[] { (run is null ? Array.Empty<object?>() : new object?[] { run }).Concat(row.Values).ToArray() });
    }
}

/// <summary>
/// One dataset made ready for VAE runs: a word tokenizer built from its training split, the examples as
/// sequences in the chosen target mode, and the scoring used by every comparison in the notebooks
/// (injection strategies, sample counts, FFN vs attention).
/// <code>
/// var experiment = VaeExperiment.Prepare(task, splits, TargetMode.Autoencoding);
/// using var vae = new LanguageVae(experiment.ModelConfig(new VaeConfig { Injection = Injection.Query, ... }));
/// experiment.Train(vae, new TrainerConfig { Steps = 300 });
/// VaeScores scores = experiment.Score(vae);
/// </code>
/// </summary>
public sealed class VaeExperiment
{
    private VaeExperiment(IReasoningTask task, DatasetSplits data, ITokenizer tokenizer, VaeExamples examples)
    {
        Task = task;
        Data = data;
        Tokenizer = tokenizer;
        Examples = examples;
    }

    public IReasoningTask Task { get; }
    public DatasetSplits Data { get; }
    public ITokenizer Tokenizer { get; }
    public VaeExamples Examples { get; }
    public IReadOnlyList<string> Rules => Examples.Rules;

    /// <summary>
    /// The example encoding for the mode, with a word tokenizer built from the training split and the task's lexicon
    /// (keeping spacing; the lexicon gives held-out terms ids of their own, see <see cref="IReasoningTask.Lexicon"/>)
    /// or the given one (e.g. Qwen's, for a pretrained decoder); the encoder reads <paramref name="encoderTokenizer"/>'s
    /// ids when one is given (e.g. bert-base-cased's WordPiece, for a pretrained encoder), else the decoder's.
    /// </summary>
    /// <param name="encoderReadsRuleText">the encoder also reads the words naming the rule where the data carries them
    /// (<see cref="IReasoningTask.RuleText"/>: math's published lines); an error for a task whose data has none</param>
    public static VaeExperiment Prepare(IReasoningTask task, DatasetSplits data, TargetMode mode, bool encoderReadsConclusion = false,
        ITokenizer? tokenizer = null, bool encoderReadsRuleText = false, ITokenizer? encoderTokenizer = null)
    {
        if (data.Train.Count == 0) throw new ArgumentException($"{task.Name}: the training split is empty");
        var rules = data.Train.Select(e => e.Rule).Distinct().Order(StringComparer.Ordinal).ToList();
        if (rules.Count < 2) throw new ArgumentException($"{task.Name}: the training split has {rules.Count} rule(s); rule analyses need at least 2");
        Func<ReasoningExample, string>? ruleText = null;
        if (encoderReadsRuleText)
        {
            if (task.RuleText(data.Train[0]) is null)
                throw new ArgumentException($"{task.Name}: the data carries no text of the rule (only a label), so the encoder cannot read it (--encoder-reads-rule-text / encoderReadsRuleText: use false)");
            ruleText = e => task.RuleText(e)!;
        }
        tokenizer ??= WordTokenizer.Build(data.Train.SelectMany(e => VaeExamples.InputSegments(e).Append(e.Conclusion))
            .Concat(ruleText is null ? Array.Empty<string>() : rules.Select(r => ruleText(data.Train.First(e => e.Rule == r))))
            .Concat(task.Lexicon), keepSpacing: true);
        return new VaeExperiment(task, data, tokenizer, new VaeExamples(tokenizer, mode, rules, encoderReadsConclusion, ruleText, encoderTokenizer));
    }

    /// <summary>
    /// The config with the tokenizers' vocabulary sizes (encoder and decoder) and the rule count filled in (a
    /// pretrained encoder or decoder passed to <see cref="LanguageVae"/> brings its own config).
    /// </summary>
    public VaeConfig ModelConfig(VaeConfig config) => config with
    {
        Encoder = config.Encoder with { VocabSize = Examples.EncoderTokenizer.VocabSize },
        Decoder = config.Decoder with { VocabSize = Tokenizer.VocabSize },
        RuleCount = config.RuleWeight > 0 || config.RuleToDecoder ? Rules.Count : 0,   // supervision needs the classifier
    };

    /// <summary>A copy that trains on the first <paramref name="count"/> training examples (rule-balanced order kept), for sample-count sweeps.</summary>
    public VaeExperiment WithTrainingSize(int count)
    {
        if (count < 1 || count > Data.Train.Count) throw new ArgumentOutOfRangeException(nameof(count), $"count must be in 1..{Data.Train.Count}, got {count}");
        // Round-robin over rules so every prefix stays balanced.
        var byRule = Data.Train.GroupBy(e => e.Rule).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new Queue<ReasoningExample>(g)).ToList();
        var chosen = new List<ReasoningExample>(count);
        while (chosen.Count < count)
            foreach (var q in byRule)
                if (chosen.Count < count && q.Count > 0) chosen.Add(q.Dequeue());
        return new VaeExperiment(Task, Data with { Train = chosen }, Tokenizer, Examples);
    }

    /// <summary>
    /// Trains on the training split with validation on the valid split. With <paramref name="encoderStageSteps"/>
    /// &gt; 0, first runs the study's stage 1 (<see cref="TrainEncoderStage"/>) for that many steps.
    /// Returns the stage-2 history.
    /// </summary>
    public DataFrame Train(LanguageVae vae, TrainerConfig config, int encoderStageSteps = 0)
    {
        var train = Examples.Build(Data.Train);
        if (encoderStageSteps > 0) TrainEncoderStage(vae, config, encoderStageSteps, train);
        var valid = Data.Valid.Count > 0 ? Examples.Build(Data.Valid) : null;
        return new VaeTrainer(vae, config, Examples.PadIds).Run(train, valid);
    }

    /// <summary>The parameter-name prefixes stage 1 trains: the encoder side (encoder, the map to z, the rule classifier).</summary>
    public static readonly IReadOnlyList<string> EncoderSide = new[] { "encoder.", "to_latent.", "rule_classifier." };

    /// <summary>
    /// The study's stage 1 alone: the rule loss on z (and the KL), only the <see cref="EncoderSide"/> trained, for
    /// <paramref name="steps"/> steps of <paramref name="config"/>'s schedule (warm-up at most half of them); no validation.
    /// </summary>
    public DataFrame TrainEncoderStage(LanguageVae vae, TrainerConfig config, int steps) => TrainEncoderStage(vae, config, steps, Examples.Build(Data.Train));

    private DataFrame TrainEncoderStage(LanguageVae vae, TrainerConfig config, int steps, IReadOnlyList<VaeSequence> train)
    {
        var stage1 = config with
        {
            Steps = steps, WarmupSteps = System.Math.Min(config.WarmupSteps, steps / 2),
            Objective = Objective.RuleOnly, TrainOnly = EncoderSide,
            CheckpointDir = null, StopAfterSteps = null, Patience = 0,
        };
        return new VaeTrainer(vae, stage1, Examples.PadIds).Run(train);
    }

    /// <summary>
    /// The run store: a VAE trained with these settings on this data is loaded from <paramref name="folder"/> when
    /// one is there (same data, vocabulary, model and training settings, checked by an identity hash), otherwise
    /// trained with <see cref="Train"/> and saved there (model.safetensors, config.json, identity.txt). With a
    /// null folder it always trains. The bool says whether it was loaded. With <paramref name="weights"/> the encoder and
    /// decoder start from those folders (prepare the experiment with their tokenizers).
    /// </summary>
    public (LanguageVae vae, bool loaded) TrainOrLoad(VaeConfig config, TrainerConfig trainer, int encoderStageSteps = 0, string? folder = null,
        PretrainedWeights? weights = null)
    {
        weights ??= new PretrainedWeights();
        string identity = Identity(config, trainer, encoderStageSteps, weights);
        string? identityPath = folder is null ? null : Path.Combine(folder, "identity.txt");
        if (identityPath is not null && File.Exists(identityPath) && File.ReadAllText(identityPath) == identity)
        {
            var stored = new LanguageVae(ModuleFiles.ReadConfig<VaeConfig>(folder!));
            stored.LoadSafetensors(Path.Combine(folder!, "model.safetensors"));
            return (stored, true);
        }
        torch.manual_seed(trainer.Seed);
        var vae = weights.NewVae(config);
        Train(vae, trainer, encoderStageSteps);
        if (folder is not null)
        {
            vae.SaveWithConfig(folder, vae.Config);
            AtomicFile.WriteAllText(identityPath!, identity);   // written last: a half-saved run is never taken as complete
        }
        return (vae, false);
    }

    /// <summary>A hash of everything a trained model depends on: data, vocabulary, model and training settings.</summary>
    private string Identity(VaeConfig config, TrainerConfig trainer, int encoderStageSteps, PretrainedWeights weights)
    {
        var text = new System.Text.StringBuilder();
        foreach (var e in Data.Train.Concat(Data.Valid)) text.Append(DatasetSummary.ContentKey(e)).Append('\n');
        foreach (var tokenizer in new[] { Tokenizer, Examples.EncoderTokenizer }.Distinct())
            for (int id = 0; id < tokenizer.VocabSize; id++) text.Append(tokenizer.Decode(new[] { id })).Append('\u0001');
        text.Append(System.Text.Json.JsonSerializer.Serialize(config)).Append(System.Text.Json.JsonSerializer.Serialize(trainer with { CheckpointDir = null }))
            .Append(encoderStageSteps).Append(weights.Describe()).Append(Examples.Mode).Append(Examples.EncoderReadsConclusion).Append(Examples.EncoderReadsRuleText);
        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>
    /// Scores a trained VAE on the test split (at most <paramref name="limit"/> examples for generation):
    /// generated conclusions checked by the task's verifier, latent health, and how well z separates rules.
    /// </summary>
    public VaeScores Score(LanguageVae vae, DecodeOptions? options = null, int limit = int.MaxValue, int seed = 0)
    {
        var latent = Latent(vae, seed);
        var generated = latent.Examples.Take(limit).ToList();
        var generation = GenerationScores.Of(generated, ConclusionGeneration.FromPosteriors(vae, Examples, generated, options), Task);
        return new VaeScores(generation, LatentHealth.Of(latent.Mu, latent.LogVar, seed),
            latent.Silhouette, latent.KMeansAri, latent.KMeansNmi, latent.ProbeAccuracy);
    }

    /// <summary>
    /// Where the test split (or the valid split, when there is no test) lands in z, and how well that separates the
    /// rules: the posterior means (for pictures), silhouette, k-means ARI/NMI and a linear probe trained on the
    /// training split's means. Generates nothing, so it is what the cluster pictures and scores need.
    /// </summary>
    public LatentScores Latent(LanguageVae vae, int seed = 0)
    {
        var (name, split) = Data.Test.Count > 0 ? ("test", Data.Test) : ("valid", Data.Valid);
        if (split.Count < 2) throw new ArgumentException($"{Task.Name}: scoring needs at least 2 test (or validation) examples");
        return LatentBySplit(vae, seed, name)[name];
    }

    /// <summary>
    /// <see cref="Latent"/> for each named split ("train", "valid": in-distribution, "test": held-out groups) with one
    /// probe, trained on the training split's means. Splits with fewer than 2 examples are left out.
    /// </summary>
    public IReadOnlyDictionary<string, LatentScores> LatentBySplit(LanguageVae vae, int seed = 0, params string[] splits)
    {
        var all = new Dictionary<string, IReadOnlyList<ReasoningExample>> { ["train"] = Data.Train, ["valid"] = Data.Valid, ["test"] = Data.Test };
        if (splits.Length == 0) splits = all.Keys.ToArray();
        foreach (var s in splits)
            if (!all.ContainsKey(s)) throw new ArgumentException($"unknown split '{s}'; splits are train, valid and test");
        var (trainMu, trainLogVar) = PosteriorEncoding.Points(vae, Examples, Data.Train);
        var trainLabels = Data.Train.Select(Examples.RuleLabel).ToArray();
        var probe = LinearProbe.Fit(trainMu, trainLabels, maxIterations: 3000, tolerance: 1e-6);   // accuracy needs no tighter fit
        var result = new Dictionary<string, LatentScores>();
        foreach (var name in splits.Where(s => all[s].Count >= 2))
        {
            var examples = all[name];
            var (mu, logvar) = name == "train" ? (trainMu, trainLogVar) : PosteriorEncoding.Points(vae, Examples, examples);
            var labels = name == "train" ? trainLabels : examples.Select(Examples.RuleLabel).ToArray();
            bool twoRules = labels.Distinct().Count() >= 2;
            var clusters = KMeans.Fit(mu, Rules.Count, seed: seed).Labels;
            result[name] = new LatentScores(examples, mu, logvar,
                twoRules ? ClusterScores.Silhouette(mu, labels) : double.NaN,
                ClusterScores.AdjustedRandIndex(labels, clusters), ClusterScores.NormalizedMutualInformation(labels, clusters),
                probe.Accuracy(mu, labels), 1.0 / Rules.Count);
        }
        return result;
    }
}

/// <summary>Posterior means of held-out steps and how well they separate the rules (see <see cref="VaeExperiment.Latent"/>).</summary>
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
    /// Finding 1 in this run: "holds" when the probe reads the rule at least halfway from chance to perfect and the
    /// silhouette is above 0.25 (a reasonable cluster structure); "rule readable from z, clusters weak" when only the
    /// first is true; otherwise "does not hold at this size". The thresholds are the lab's; the study shows pictures.
    /// </summary>
    public string Finding1()
    {
        bool readable = ProbeAccuracy >= Chance + (1 - Chance) / 2;
        return readable && Silhouette > 0.25 ? "holds" : readable ? "rule readable from z, clusters weak" : "does not hold at this size";
    }
}

using LatentRules.Data;
using LatentRules.Models.Vae;
using LatentRules.Randomness;
using LatentRules.Tokenizers;
using LatentRules.Training;
using Microsoft.Data.Analysis;

namespace LatentRules.Experiments;

/// <summary>
/// One dataset made ready for VAE runs: a word tokenizer built from its training split, the examples as sequences in
/// the chosen target mode, and training on them. The run store (<see cref="RunStore"/>) and the scores
/// (<see cref="VaeScores"/>, <see cref="LatentScores"/>) take it.
/// <code>
/// var experiment = VaeExperiment.Prepare(task, splits, TargetMode.Autoencoding);
/// using var vae = new LanguageVae(experiment.ModelConfig(new VaeConfig { Injection = Injection.Query, ... }));
/// experiment.Train(vae, SmallPreset.Preset.RuleClusters.Recipe.For(steps: 300, seed: 1));
/// VaeScores scores = VaeScores.Of(experiment, vae);
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
    /// or the given one (e.g. Qwen's, for a pretrained decoder); the encoder reads
    /// <paramref name="encoderTokenizer"/>'s ids when one is given (e.g. bert-base-cased's WordPiece, for a pretrained
    /// encoder), else the decoder's.
    /// </summary>
    /// <param name="encoderReadsRuleText">the encoder also reads the words naming the rule where the data carries
    /// them (<see cref="IReasoningTask.RuleText"/>: math's published lines); an error for a task whose data has
    /// none</param>
    public static VaeExperiment Prepare(IReasoningTask task, DatasetSplits data, TargetMode mode,
        bool encoderReadsConclusion = false, ITokenizer? tokenizer = null, bool encoderReadsRuleText = false,
        ITokenizer? encoderTokenizer = null)
    {
        if (data.Train.Count == 0) throw new ArgumentException($"{task.Name}: the training split is empty");
        var rules = data.Train.Select(e => e.Rule).Distinct().Order(StringComparer.Ordinal).ToList();
        if (rules.Count < 2)
            throw new ArgumentException(
                $"{task.Name}: the training split has {rules.Count} rule(s); rule analyses need at least 2");
        Func<ReasoningExample, string>? ruleText = null;
        if (encoderReadsRuleText)
        {
            if (task.RuleText(data.Train[0]) is null)
                throw new ArgumentException($"{task.Name}: the data carries no text of the rule (only a label), " +
                    "so the encoder cannot read it (--encoder-reads-rule-text / encoderReadsRuleText: use false)");
            ruleText = e => task.RuleText(e)!;
        }
        var ruleTexts = ruleText is null ? Array.Empty<string>()
            : rules.Select(r => ruleText(data.Train.First(e => e.Rule == r)));
        tokenizer ??= WordTokenizer.Build(data.Train.SelectMany(e => VaeExamples.InputSegments(e).Append(e.Conclusion))
            .Concat(ruleTexts).Concat(task.Lexicon), keepSpacing: true);
        return new VaeExperiment(task, data, tokenizer,
            new VaeExamples(tokenizer, mode, rules, encoderReadsConclusion, ruleText, encoderTokenizer));
    }

    /// <summary>
    /// The config with the tokenizers' vocabulary sizes (encoder and decoder) and the rule count filled in (a
    /// pretrained encoder or decoder passed to <see cref="LanguageVae"/> brings its own config).
    /// </summary>
    public VaeConfig ModelConfig(VaeConfig config) => config with
    {
        Encoder = config.Encoder with { VocabSize = Examples.EncoderTokenizer.VocabSize },
        Decoder = config.Decoder with { VocabSize = Tokenizer.VocabSize },
        // supervision needs the classifier
        RuleCount = config.RuleWeight > 0 || config.RuleToDecoder ? Rules.Count : 0,
    };

    /// <summary>
    /// A copy that trains on the first <paramref name="count"/> training examples (rule-balanced order kept), for
    /// sample-count sweeps.
    /// </summary>
    public VaeExperiment WithTrainingSize(int count)
    {
        if (count < 1 || count > Data.Train.Count)
            throw new ArgumentOutOfRangeException(nameof(count),
                $"count must be in 1..{Data.Train.Count}, got {count}");
        // Round-robin over rules so every prefix stays balanced.
        var byRule = Data.Train.GroupBy(e => e.Rule).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new Queue<ReasoningExample>(g)).ToList();
        var chosen = new List<ReasoningExample>(count);
        while (chosen.Count < count)
            foreach (var q in byRule)
                if (chosen.Count < count && q.Count > 0) chosen.Add(q.Dequeue());
        return new VaeExperiment(Task, Data with { Train = chosen }, Tokenizer, Examples);
    }

    /// <summary>
    /// A copy whose training examples carry the training split's rule labels in a seeded random order (the same count
    /// of each rule, the texts unchanged): the control that differs from supervised training only in whether the label
    /// belongs to the text. Valid and test keep their true labels, so scores still read the true rules.
    /// </summary>
    public VaeExperiment WithShuffledRules(int seed)
    {
        var labels = Data.Train.Select(e => e.Rule).ToList();
        new SeededRandom(seed, "shuffled-rules").Shuffle(labels);
        var train = Data.Train.Select((e, i) => e with { Rule = labels[i] }).ToList();
        return new VaeExperiment(Task, Data with { Train = train }, Tokenizer, Examples);
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

    /// <summary>
    /// The study's stage 1 alone: the rule loss on z (and the KL), only <see cref="FineTuning.EncoderSide"/> trained,
    /// for <paramref name="steps"/> steps of <paramref name="config"/>'s schedule (warm-up at most half of them); no
    /// validation.
    /// </summary>
    public DataFrame TrainEncoderStage(LanguageVae vae, TrainerConfig config, int steps) =>
        TrainEncoderStage(vae, config, steps, Examples.Build(Data.Train));

    private DataFrame TrainEncoderStage(LanguageVae vae, TrainerConfig config, int steps,
        IReadOnlyList<VaeSequence> train)
    {
        var stage1 = config with
        {
            Steps = steps,
            WarmupSteps = System.Math.Min(config.WarmupSteps, steps / 2),
            Objective = Objective.RuleOnly,
            TrainOnly = FineTuning.EncoderSide,
            CheckpointDir = null,
            StopAfterSteps = null,
            Patience = 0,
        };
        return new VaeTrainer(vae, stage1, Examples.PadIds).Run(train);
    }
}

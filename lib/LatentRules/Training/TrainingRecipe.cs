namespace LatentRules.Training;

/// <summary>
/// The one training recipe of the experiments and notebooks: AdamW at a peak learning rate reached by a linear warm-up
/// over the first tenth of the steps (then cosine decay, <see cref="VaeTrainer"/>), and the KL weight beta rising
/// linearly over the first half. A preset (lib/LatentRules/Experiments/Presets) fixes its numbers; <see cref="For"/>
/// turns it into the trainer's settings for one run.
/// </summary>
public sealed record TrainingRecipe
{
    // peak AdamW learning rate
    public required double LearningRate { get; init; }
    // share of the steps spent warming the learning rate up from 0
    public required double WarmupFraction { get; init; }
    // the KL weight reached after the beta warm-up (the study: 1)
    public required double Beta { get; init; }
    // share of the steps over which beta rises linearly from 0
    public required double BetaWarmupFraction { get; init; }
    // examples per optimiser step (the study: 32)
    public required int BatchSize { get; init; }

    /// <summary>
    /// The trainer's settings for <paramref name="steps"/> steps of this recipe: validation (and a history row with
    /// valid_loss) <paramref name="evaluations"/> times, the batch order and every draw from <paramref name="seed"/>.
    /// </summary>
    public TrainerConfig For(int steps, long seed, string device = "auto", int evaluations = 1) => new()
    {
        Steps = steps, BatchSize = BatchSize, LearningRate = LearningRate,
        WarmupSteps = Share(steps, WarmupFraction), EvalEvery = Math.Max(1, steps / Math.Max(1, evaluations)),
        Beta = new BetaSchedule(BetaShape.Linear, Beta, Math.Max(1, Share(steps, BetaWarmupFraction))),
        Seed = seed, Device = device,
    };

    // floor(steps * fraction), robust to 0.1 not being exact in binary (300 * 0.1 is 30, not 29)
    private static int Share(int steps, double fraction) => (int)Math.Floor(steps * fraction + 1e-9);

    /// <summary>Refuses values no run can use, naming the command-line option.</summary>
    public TrainingRecipe Validate()
    {
        if (!(LearningRate > 0)) throw new ArgumentException($"--learning-rate must be above 0, got {LearningRate}");
        if (!(WarmupFraction is >= 0 and < 1))
            throw new ArgumentException($"--warmup-fraction must be in [0, 1), got {WarmupFraction}");
        if (!(Beta >= 0)) throw new ArgumentException($"--beta must be 0 or more, got {Beta}");
        if (!(BetaWarmupFraction is >= 0 and <= 1))
            throw new ArgumentException($"--beta-warmup-fraction must be in [0, 1], got {BetaWarmupFraction}");
        if (BatchSize < 1) throw new ArgumentException($"--batch-size must be at least 1, got {BatchSize}");
        return this;
    }
}

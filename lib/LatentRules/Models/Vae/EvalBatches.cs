using LatentRules.Torch;
using static TorchSharp.torch;

namespace LatentRules.Models.Vae;

/// <summary>
/// The loop every measurement runs over many examples: the model in eval mode (restored after), no gradients, the
/// examples in batches, each in its own dispose scope (move what must outlive it out with MoveToOuterDisposeScope).
/// <code>
/// EvalBatches.ForEach(vae, sequences, padIds, (start, batch) => total += batch.Loss(vae, beta).Total.ToDouble());
/// </code>
/// </summary>
public static class EvalBatches
{
    public const int DefaultSize = 64;

    /// <summary>Calls <paramref name="body"/>(start, count) for consecutive slices of the first count items.</summary>
    public static void ForEach(nn.Module model, int count, Action<int, int> body, int batchSize = DefaultSize)
    {
        if (batchSize < 1) throw new ArgumentException($"batchSize must be at least 1, got {batchSize}");
        using var mode = EvalMode.Of(model);
        using var noGrad = no_grad();
        for (int start = 0; start < count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            body(start, Math.Min(batchSize, count - start));
        }
    }

    /// <summary>
    /// Calls <paramref name="body"/>(start, batch) with each slice of <paramref name="sequences"/> as a
    /// <see cref="VaeBatch"/> on the model's device; start is the index of its first sequence.
    /// </summary>
    public static void ForEach(LanguageVae vae, IReadOnlyList<VaeSequence> sequences, PadIds padIds,
        Action<int, VaeBatch> body, int batchSize = DefaultSize) =>
        ForEach(vae, sequences.Count, (start, count) =>
        {
            using var batch = new VaeBatch(sequences.Skip(start).Take(count).ToList(), padIds, vae.Device());
            body(start, batch);
        }, batchSize);
}

using LatentRules.Data;
using LatentRules.Models.Vae;
using LatentRules.Randomness;
using LatentRules.Torch;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace LatentRules.Evaluation;

/// <summary>
/// Whether the decoder reads z, measured with teacher forcing on the predicted tokens (the conclusion in inference
/// mode, the whole step in autoencoding), so it has signal long before generated text is right:
/// <list type="bullet">
/// <item>token loss and accuracy with z = the example's own posterior mean;</item>
/// <item>z use: the loss with z taken from another example (a seeded permutation) minus the loss with its own z.
///   About 0 when the decoder ignores z (the control any injection is compared with);</item>
/// <item>rule control: the loss with z = the mean posterior of another rule minus the loss with z = the mean of the
///   example's own rule (rule means from <c>ruleMeans</c>, e.g. of the training split). Above 0 when moving z to a
///   rule's region steers the decoder towards that rule's text.</item>
/// </list>
/// Losses are nats per predicted token, averaged over all predicted tokens of the examples.
/// </summary>
public sealed record DecoderUse(
    int Examples,             // examples measured
    long Tokens,              // predicted tokens over all examples
    double TokenLoss,         // nats per token, own z
    double TokenAccuracy,     // share of tokens whose argmax is the target, own z
    double ShuffledZLoss,     // nats per token, z of another example
    double ZUse,              // ShuffledZLoss - TokenLoss
    double OwnRuleMeanLoss,   // nats per token, z = mean posterior of the example's rule
    double OtherRuleMeanLoss, // nats per token, z = mean posterior of another rule (seeded choice)
    double RuleControl)       // OtherRuleMeanLoss - OwnRuleMeanLoss
{
    /// <param name="vae">the trained model (put in eval mode for the measurement, restored after)</param>
    /// <param name="examples">the examples and their sequences; at least 2, of at least 2 rules</param>
    /// <param name="mu">their posterior means [examples, latent] (see <see cref="PosteriorEncoding.Points"/>)</param>
    /// <param name="ruleMeans">mean posterior of each rule [rules, latent], in label order</param>
    /// <param name="seed">the permutation and the other-rule choice</param>
    public static DecoderUse Of(LanguageVae vae, IReadOnlyList<VaeSequence> examples, double[,] mu, double[,] ruleMeans,
        PadIds padIds, int seed = 0)
    {
        int n = examples.Count, rules = ruleMeans.GetLength(0), d = mu.GetLength(1);
        if (n < 2) throw new ArgumentException($"DecoderUse needs at least 2 examples, got {n}");
        if (mu.GetLength(0) != n) throw new ArgumentException($"mu has {mu.GetLength(0)} rows for {n} examples");
        if (ruleMeans.GetLength(1) != d)
            throw new ArgumentException($"ruleMeans has {ruleMeans.GetLength(1)} columns, mu has {d}");
        if (rules < 2) throw new ArgumentException("rule control needs at least 2 rule means");
        if (examples.Any(e => e.Rule is not int r || r < 0 || r >= rules))
            throw new ArgumentException($"every example needs a rule label in 0..{rules - 1}");

        var rng = new SeededRandom(seed, "decoder-use");
        var permutation = Enumerable.Range(0, n).ToArray();
        rng.Shuffle(permutation);
        // a different rule, uniformly
        var other = examples.Select(e => (e.Rule!.Value + 1 + rng.Next(rules - 1)) % rules).ToArray();
        var zOwn = Rows(i => Row(mu, i), n, d);
        var zShuffled = Rows(i => Row(mu, permutation[i]), n, d);
        var zOwnRule = Rows(i => Row(ruleMeans, examples[i].Rule!.Value), n, d);
        var zOtherRule = Rows(i => Row(ruleMeans, other[i]), n, d);

        var own = Measure(vae, examples, zOwn, padIds);
        var shuffled = Measure(vae, examples, zShuffled, padIds);
        var ownRule = Measure(vae, examples, zOwnRule, padIds);
        var otherRule = Measure(vae, examples, zOtherRule, padIds);
        return new DecoderUse(n, own.tokens, own.loss, own.accuracy, shuffled.loss, shuffled.loss - own.loss,
            ownRule.loss, otherRule.loss, otherRule.loss - ownRule.loss);
    }

    /// <summary>
    /// The mean of <paramref name="mu"/>'s rows per label [rules, latent]; a rule with no row is an error.
    /// </summary>
    public static double[,] RuleMeans(double[,] mu, IReadOnlyList<int> labels, int rules)
    {
        int n = mu.GetLength(0), d = mu.GetLength(1);
        if (labels.Count != n) throw new ArgumentException($"{labels.Count} labels for {n} rows");
        var sum = new double[rules, d];
        var count = new int[rules];
        for (int i = 0; i < n; i++)
        {
            count[labels[i]]++;
            for (int k = 0; k < d; k++) sum[labels[i], k] += mu[i, k];
        }
        for (int r = 0; r < rules; r++)
        {
            if (count[r] == 0) throw new ArgumentException($"rule {r} has no example to average");
            for (int k = 0; k < d; k++) sum[r, k] /= count[r];
        }
        return sum;
    }

    private static double[] Row(double[,] m, int i) =>
        Enumerable.Range(0, m.GetLength(1)).Select(k => m[i, k]).ToArray();

    private static float[,] Rows(Func<int, double[]> row, int n, int d)
    {
        var z = new float[n, d];
        for (int i = 0; i < n; i++)
        {
            var r = row(i);
            for (int k = 0; k < d; k++) z[i, k] = (float)r[k];
        }
        return z;
    }

    /// <summary>
    /// Teacher-forced loss per token and accuracy of every example with the given z rows, in eval mode and batches.
    /// </summary>
    private static (double loss, double accuracy, long tokens) Measure(LanguageVae vae,
        IReadOnlyList<VaeSequence> examples, float[,] z, PadIds padIds)
    {
        int d = z.GetLength(1);
        var device = vae.Device();
        var dtype = vae.to_latent.weight!.dtype;
        double lossSum = 0, correct = 0;
        long tokens = 0;
        EvalBatches.ForEach(vae, examples, padIds, (start, batch) =>
        {
            var rows = new float[batch.Count, d];
            for (int i = 0; i < batch.Count; i++)
                for (int k = 0; k < d; k++) rows[i, k] = z[start + i, k];
            var zb = tensor(rows, device: device).to(dtype);                                              // [b, latent]
            var logits = vae.DecodeLogits(zb, batch.DecoderIds, batch.DecoderMask, batch.Rules);  // [b, T, V]
            var flat = logits.reshape(-1, logits.size(-1));                                       // [b*T, V]
            var targets = batch.Targets.reshape(-1);                                              // [b*T]
            var counted = targets.ne(-100);
            lossSum += F.cross_entropy(flat.to(ScalarType.Float32), targets, reduction: nn.Reduction.Sum).ToDouble();
            correct += flat.argmax(-1).eq(targets).logical_and(counted).sum().ToInt64();
            tokens += counted.sum().ToInt64();
        });
        return (lossSum / tokens, correct / tokens, tokens);
    }
}

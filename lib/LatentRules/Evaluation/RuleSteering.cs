using LatentRules.Data;
using LatentRules.Models.Qwen2;
using LatentRules.Models.Vae;

namespace LatentRules.Evaluation;

/// <summary>
/// Whether moving z to a rule's region makes the decoder apply that rule, decided by the task's verifier. Only for
/// tasks where every rule applies to every premise (<see cref="IReasoningTask.AnyRuleAppliesToAnyPremises"/>: math).
/// For each item the decoder is given the item's premises and z = the mean posterior of each rule in turn (with that
/// rule's label when the model takes one); an output "follows r" when the verifier accepts it as r applied to the
/// premises.
/// <list type="bullet">
/// <item>Steered: over (item, other rule r) pairs, the share whose output with r's mean z follows r;</item>
/// <item>Unsteered: over the same pairs, the share whose output with the item's own rule's mean z follows r (the
///   baseline: a decoder that ignores z writes the same output under every z, so Steered equals Unsteered);</item>
/// <item>Effect = Steered - Unsteered; OwnRule, beside it: the share of items whose output with their own rule's mean z
///   follows their own rule.</item>
/// </list>
/// </summary>
public sealed record RuleSteering(
    int Items,        // items decoded (once per rule)
    int Pairs,        // (item, other rule) pairs
    double Steered,   // share of pairs whose output with the other rule's mean z follows that rule
    double Unsteered, // share of pairs whose output with the own rule's mean z follows the other rule
    double OwnRule,   // share of items whose output with the own rule's mean z follows the own rule
    double Effect)    // Steered - Unsteered
{
    /// <param name="vae">the trained model</param>
    /// <param name="examples">its sequences (rules in label order; see <see cref="VaeExamples.PremisePrompt"/> for the
    /// prompt)</param>
    /// <param name="task">the task whose verifier decides</param>
    /// <param name="items">the items to decode, e.g. the in-distribution split</param>
    /// <param name="ruleMeans">mean posterior of each rule [rules, latent], in label order (e.g. of the training
    /// split)</param>
    public static RuleSteering Of(LanguageVae vae, VaeExamples examples, IReasoningTask task,
        IReadOnlyList<ReasoningExample> items,
        double[,] ruleMeans, GenerationConfig? options = null)
    {
        if (!task.AnyRuleAppliesToAnyPremises)
            throw new ArgumentException($"{task.Name}: the premises fix the rule, so no output can follow another " +
                $"rule; rule steering is for tasks like math");
        int rules = examples.Rules.Count, d = ruleMeans.GetLength(1);
        if (ruleMeans.GetLength(0) != rules)
            throw new ArgumentException($"ruleMeans has {ruleMeans.GetLength(0)} rows for {rules} rules");
        var outputs = new List<string>[rules];
        for (int r = 0; r < rules; r++)
        {
            var z = new double[items.Count, d];
            for (int i = 0; i < items.Count; i++)
                for (int k = 0; k < d; k++) z[i, k] = ruleMeans[r, k];
            outputs[r] = ConclusionGeneration.FromLatents(vae, examples, items, z,
                Enumerable.Repeat(r, items.Count).ToList(), options);
        }
        return Score(items, examples.Rules, (i, r) => outputs[r][i],
            (item, rule, output) => task.Verify(item with { Rule = rule }, output).Correct);
    }

    /// <summary>
    /// The shares from the outputs already decoded: <paramref name="output"/>(i, r) is item i's output with rule r's
    /// mean z, <paramref name="follows"/>(item, rule, output) the verifier's answer.
    /// </summary>
    public static RuleSteering Score(IReadOnlyList<ReasoningExample> items, IReadOnlyList<string> rules,
        Func<int, int, string> output,
        Func<ReasoningExample, string, string, bool> follows)
    {
        if (items.Count == 0) throw new ArgumentException("rule steering needs at least one item");
        if (rules.Count < 2) throw new ArgumentException("rule steering needs at least 2 rules");
        var index = rules.Select((rule, r) => (rule, r)).ToDictionary(x => x.rule, x => x.r, StringComparer.Ordinal);
        int pairs = 0, steered = 0, unsteered = 0, own = 0;
        for (int i = 0; i < items.Count; i++)
        {
            if (!index.TryGetValue(items[i].Rule, out int self))
                throw new ArgumentException($"{items[i].Id}: rule '{items[i].Rule}' is not one of " +
                    $"{string.Join(", ", rules)}");
            string ownOutput = output(i, self);
            if (follows(items[i], rules[self], ownOutput)) own++;
            for (int r = 0; r < rules.Count; r++)
            {
                if (r == self) continue;
                pairs++;
                if (follows(items[i], rules[r], output(i, r))) steered++;
                if (follows(items[i], rules[r], ownOutput)) unsteered++;
            }
        }
        double s = (double)steered / pairs, u = (double)unsteered / pairs;
        return new RuleSteering(items.Count, pairs, s, u, (double)own / items.Count, s - u);
    }
}

using LatentRules.Randomness;

namespace LatentRules.Data.Syllogistic;

/// <summary>
/// The syllogistic task: 6 propositional schemes (modus ponens, modus tollens, contraposition, hypothetical
/// syllogism, disjunctive syllogism, constructive dilemma) and the 15 unconditionally valid categorical
/// moods (<see cref="CategoricalMood"/>), rendered in English over the curated vocabulary
/// (data/vocabulary). The test split uses only held-out nouns, properties and individuals that train and
/// valid never use. Fields: domain, variant, premises_form, conclusion_form, terms (ids, '|'-separated),
/// individual, and for moods figure and mood.
/// </summary>
public sealed class SyllogisticTask : IReasoningTask
{
    private readonly double _heldOutShare;

    /// <param name="heldOutShare">Share of each domain's nouns, properties and individuals kept for the test split
    /// (default 0.25).</param>
    public SyllogisticTask(double heldOutShare = 0.25)
    {
        if (heldOutShare <= 0 || heldOutShare >= 1)
            throw new ArgumentOutOfRangeException(nameof(heldOutShare), "must lie strictly between 0 and 1");
        _heldOutShare = heldOutShare;
    }

    public string Name => "syllogistic";

    public IReadOnlyList<string> Rules => SyllogisticSchemes.Rules;

    /// <summary>
    /// Every individual, noun and property of every domain, held-out ones included, in each form sentences use.
    /// </summary>
    public IReadOnlyList<string> Lexicon =>
        _lexicon ??= Vocabulary.Domains.SelectMany(d => new SentenceRenderer(d).TermForms()).ToList();
    private IReadOnlyList<string>? _lexicon;

    /// <summary>The held-out (test-only) terms and individuals of every domain for a seed.</summary>
    public IReadOnlyDictionary<string, TermPool> HeldOut(int seed) => Vocabulary.Domains.ToDictionary(d => d.Name, d =>
    {
        var rng = new SeededRandom(seed, "syllogistic/held-out/" + d.Name);
        List<string> Take(IReadOnlyList<string> items) =>
            rng.Sample(items, Math.Max(1, (int)Math.Round(items.Count * _heldOutShare)));
        return new TermPool(d, Take(d.Nouns.Select(n => n.Singular).ToList()), Take(d.Properties), Take(d.Individuals));
    });

    public DatasetSplits Generate(GenerationOptions options)
    {
        var heldOut = HeldOut(options.Seed);
        var trainPools = heldOut.Values.Select(h => new TermPool(h.Domain,
            h.Domain.Nouns.Select(n => n.Singular).Except(h.Nouns).ToList(),
            h.Domain.Properties.Except(h.Properties).ToList(),
            h.Domain.Individuals.Except(h.Individuals).ToList())).ToList();
        var testPools = heldOut.Values.ToList();
        var renderers = Vocabulary.Domains.ToDictionary(d => d.Name, d => new SentenceRenderer(d));
        return SplitBuilder.Build(Name, Rules, options, (rule, heldOut, rng) =>
        {
            var pool = rng.Choice(heldOut ? testPools : trainPools);
            var draw = new TermDraw(pool, rng);
            var instance = SyllogisticSchemes.Make(rule, draw, rng);
            var render = renderers[pool.Domain.Name];
            var premises = instance.Premises.Select(p => render.Sentence(p, every: rng.NextBool(0.3))).ToList();
            string conclusion = render.Sentence(instance.Conclusion, every: rng.NextBool(0.3));
            var individual =
                instance.Premises.Concat(new[] { instance.Conclusion }).OfType<Clause>().FirstOrDefault()?.Individual;
            var fields = new Dictionary<string, string>
            {
                ["domain"] = pool.Domain.Name,
                ["variant"] = instance.Variant,
                ["premises_form"] = string.Join(" ; ", instance.Premises),
                ["conclusion_form"] = instance.Conclusion.ToString(),
                ["terms"] = string.Join("|", draw.Used.OrderBy(t => t, StringComparer.Ordinal)),
            };
            if (individual != null) fields["individual"] = individual;
            if (CategoricalMood.All.FirstOrDefault(m => m.Name == rule) is { } mood)
            {
                fields["mood"] = $"{mood.Major}{mood.Minor}{mood.Conclusion}";
                fields["figure"] = mood.Figure.ToString();
            }
            var example = new ReasoningExample("", Name, rule, premises, conclusion, fields);
            // Content is the text alone (case-folded): the same sentences never appear twice, under any rule.
            return new SplitBuilder.Candidate(example, heldOut,
                string.Join("\n", premises.Append(conclusion)).ToLowerInvariant());
        });
    }

    /// <summary>No: the premises' form fixes the rule.</summary>
    public bool AnyRuleAppliesToAnyPremises => false;

    /// <summary>None: the published data names the rule only as a label.</summary>
    public string? RuleText(ReasoningExample example) => null;

    public Verdict Verify(ReasoningExample example, string candidateConclusion) =>
        SyllogisticVerifier.Verify(example, candidateConclusion);
}

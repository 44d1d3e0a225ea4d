using System.Text.RegularExpressions;
using LatentRules.Randomness;

namespace LatentRules.Data.Explanatory;

/// <summary>
/// The explanatory task: two-premise science explanation steps (<see cref="ExplanatoryRules"/>) built from
/// the embedded knowledge base. The test split is about held-out entities: a share of the taxonomy's leaves
/// and of the cause graph's first causes that no train or valid example mentions, chosen only among names
/// that occur nowhere else in the knowledge base (so their text is unseen in train too). Fields: the
/// structural parts of the step (subject, class, predicate, ...), "key" (the held-out-able entity) and
/// "entities" ('|'-separated).
/// </summary>
public sealed class ExplanatoryTask : IReasoningTask
{
    private readonly KnowledgeBase _kb;
    private readonly double _heldOutShare;

    /// <param name="knowledge">The knowledge base (default: the embedded science knowledge base).</param>
    /// <param name="heldOutShare">Share of the eligible leaves and first causes kept for the test split (default
    /// 0.25).</param>
    public ExplanatoryTask(KnowledgeBase? knowledge = null, double heldOutShare = 0.25)
    {
        if (heldOutShare <= 0 || heldOutShare >= 1)
            throw new ArgumentOutOfRangeException(nameof(heldOutShare), "must lie strictly between 0 and 1");
        _kb = knowledge ?? KnowledgeBase.Science;
        _heldOutShare = heldOutShare;
    }

    public string Name => "explanatory";

    public IReadOnlyList<string> Rules => ExplanatoryRules.Names;

    public KnowledgeBase Knowledge => _kb;

    /// <summary>
    /// The sentences of every step the knowledge base allows (held-out entities included): the generator draws only
    /// from these.
    /// </summary>
    public IReadOnlyList<string> Lexicon => _lexicon ??= Rules.SelectMany(r => ExplanatoryRules.Enumerate(r, _kb))
        .SelectMany(s => new[] { s.Premise1, s.Premise2, s.Conclusion }).Distinct(StringComparer.Ordinal).ToList();
    private IReadOnlyList<string>? _lexicon;

    /// <summary>The entities kept for the test split under a seed.</summary>
    public IReadOnlySet<string> HeldOut(int seed)
    {
        var texts = _kb.Nodes.Concat(_kb.Events)
            .Concat(_kb.Nodes.SelectMany(_kb.OwnProperties))
            .Concat(_kb.Nodes.SelectMany(n => _kb.OwnProperties(n).SelectMany(_kb.Definitions)))
            .Concat(_kb.Frames.Select(f => f.Template))
            .Concat(_kb.Conditionals.SelectMany(c => new[] { c.Condition, c.Result }))
            .Distinct().ToList();
        // The name without its article ("a hurricane" -> "hurricane") must occur in no other text of the knowledge
        // base.
        bool Unique(string name)
        {
            string core = Regex.Replace(name, "^(a|an|the) ", "");
            return !texts.Any(t => t != name && Regex.IsMatch(t, $@"\b{Regex.Escape(core)}\b"));
        }
        var leaves = _kb.Nodes.Where(n => _kb.IsLeaf(n) && Unique(n)).ToList();
        var hasCause = _kb.Events.SelectMany(_kb.Effects).ToHashSet();
        var firstCauses = _kb.Events.Where(e => !hasCause.Contains(e) && Unique(e)).ToList();
        var rng = new SeededRandom(seed, "explanatory/held-out");
        int Share(int n) => Math.Max(1, (int)Math.Round(n * _heldOutShare));
        return rng.Sample(leaves, Share(leaves.Count)).Concat(rng.Sample(firstCauses, Share(firstCauses.Count)))
            .ToHashSet();
    }

    public DatasetSplits Generate(GenerationOptions options)
    {
        var heldOut = HeldOut(options.Seed);
        // Every step each rule allows, shuffled once per (rule, pool); examples are taken in that order, so a
        // rule runs out only when the knowledge base truly has no more distinct steps for it.
        var queues = new Dictionary<(string, bool), Queue<ExplanationStep>>();
        Queue<ExplanationStep> QueueFor(string rule, bool test)
        {
            if (queues.TryGetValue((rule, test), out var q)) return q;
            var steps = ExplanatoryRules.Enumerate(rule, _kb)
                .Where(s => test ? heldOut.Contains(s.Key) : !s.Entities.Any(heldOut.Contains)).ToList();
            new SeededRandom(options.Seed, $"explanatory/order/{rule}/{test}").Shuffle(steps);
            return queues[(rule, test)] = new Queue<ExplanationStep>(steps);
        }
        return SplitBuilder.Build(Name, Rules, options, (rule, heldOut, _) =>
        {
            var q = QueueFor(rule, heldOut);
            if (q.Count == 0) return null;
            var s = q.Dequeue();
            var fields = new Dictionary<string, string>(s.Fields)
            {
                ["key"] = s.Key,
                ["entities"] = string.Join("|", s.Entities)
            };
            var e = new ReasoningExample("", Name, rule, new[] { s.Premise1, s.Premise2 }, s.Conclusion, fields);
            return new SplitBuilder.Candidate(e, heldOut, string.Join("\n", e.Premises.Append(e.Conclusion)));
        });
    }

    private ExplanatoryVerifier? _verifier;

    /// <summary>No: the premises' form fixes the rule.</summary>
    public bool AnyRuleAppliesToAnyPremises => false;

    /// <summary>None: the published data names the rule only as a label.</summary>
    public string? RuleText(ReasoningExample example) => null;

    public Verdict Verify(ReasoningExample example, string candidateConclusion) =>
        (_verifier ??= new ExplanatoryVerifier(_kb)).Verify(example, candidateConclusion);
}

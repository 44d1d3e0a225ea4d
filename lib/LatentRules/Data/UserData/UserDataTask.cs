namespace LatentRules.Data.UserData;

/// <summary>
/// A task over a user's rule-labelled file (<see cref="RuleDataFile"/>): the file's records are the whole dataset.
/// <list type="bullet">
/// <item>Name: "file:{stem}" (never a registered task's name); Rules: the file's distinct rules, ordinal order.</item>
/// <item>Generate: every record, once; <see cref="GenerationOptions.Size"/> and
///   <see cref="GenerationOptions.Balanced"/> are ignored (the file fixes both). See <see cref="UserDataSplits"/>:
///   with groups, whole groups go to test; without, a stratified seeded split per rule.</item>
/// <item>Verify: the file is the only verifier there is; a conclusion is correct when it equals (trimmed,
///   ordinal) one the file gives for the same rule and premises.</item>
/// <item>Lexicon: every distinct premise and conclusion text of the file, so words seen only in held-out groups
///   keep ids of their own (whole texts rather than words, so a tokenizer splits them as it splits train).</item>
/// </list>
/// <code>
/// IReasoningTask task = UserDataTask.Load("data/examples/rules-example.jsonl");   // a bad file throws here
/// DatasetSplits splits = task.Generate(new GenerationOptions(Seed: 1));
/// </code>
/// </summary>
public sealed class UserDataTask : IReasoningTask
{
    private readonly Dictionary<string, List<ReasoningExample>> _byPremises;

    private UserDataTask(string path, IReadOnlyList<ReasoningExample> examples)
    {
        SourcePath = path;
        Examples = examples;
        Name = RuleDataFile.TaskName(path);
        Rules = examples.Select(e => e.Rule).Distinct().Order(StringComparer.Ordinal).ToList();
        HasGroups = examples.Any(e => e.Field(RuleDataFile.GroupField) is not null);
        Lexicon = examples.SelectMany(e => e.Premises.Append(e.Conclusion)).Distinct().Order(StringComparer.Ordinal)
            .ToList();
        _byPremises = examples.GroupBy(e => RuleDataChecks.Key(e.Rule, e.Premises), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
    }

    /// <summary>
    /// Reads and checks the whole file (a .jsonl or .csv, see <see cref="RuleDataFile"/>); a bad file throws an
    /// <see cref="InvalidDataException"/> naming the file, line and field, before anything trains.
    /// </summary>
    public static UserDataTask Load(string path) => new(path, RuleDataFile.Read(path));

    /// <summary>The file the task was read from.</summary>
    public string SourcePath { get; }

    /// <summary>Every record of the file, in file order (ids "{stem}-{line}").</summary>
    public IReadOnlyList<ReasoningExample> Examples { get; }

    /// <summary>True when the file gives every record a group (then test holds out whole groups).</summary>
    public bool HasGroups { get; }

    /// <summary>"file:" and the file's name without extension, e.g. "file:rules-example".</summary>
    public string Name { get; }

    /// <summary>The file's distinct rules, in ordinal order.</summary>
    public IReadOnlyList<string> Rules { get; }

    /// <summary>Every distinct premise and conclusion text of the file, in ordinal order.</summary>
    public IReadOnlyList<string> Lexicon { get; }

    /// <summary>False: the file gives each set of premises with its own rule only.</summary>
    public bool AnyRuleAppliesToAnyPremises => false;

    /// <summary>Null: a file's rule is a label only.</summary>
    public string? RuleText(ReasoningExample example) => null;

    /// <summary>Splits every record once, deterministically from the seed (<see cref="UserDataSplits"/>).</summary>
    public DatasetSplits Generate(GenerationOptions options) => UserDataSplits.Split(this, options);

    /// <summary>
    /// Correct when the candidate equals (trimmed, ordinal) a conclusion the file gives for the example's rule and
    /// premises: the file is the only verifier there is.
    /// </summary>
    public Verdict Verify(ReasoningExample example, string candidateConclusion)
    {
        if (!_byPremises.TryGetValue(RuleDataChecks.Key(example.Rule, example.Premises), out var known))
            return Verdict.No($"the file has no record of rule '{example.Rule}' with these premises");
        string candidate = candidateConclusion.Trim();
        var match = known.FirstOrDefault(e => string.Equals(e.Conclusion, candidate, StringComparison.Ordinal));
        return match is not null
            ? Verdict.Yes($"the conclusion of {match.Id}")
            : Verdict.No($"not a conclusion the file gives for these premises ({known.Count} known: " +
                $"{string.Join(", ", known.Select(e => e.Id))})");
    }
}

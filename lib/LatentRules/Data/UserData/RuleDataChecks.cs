namespace LatentRules.Data.UserData;

/// <summary>
/// The checks on a whole rule-data file, after each record was read: every record has a group or none does; no
/// record repeats another (same rule, premises and conclusion, whatever the group); at least two rules; at least
/// <see cref="RuleDataFile.MinimumPerRule"/> examples per rule; with groups, at least two groups per rule (the test
/// split holds out whole groups, and a rule needs one left for training). The first fault throws.
/// </summary>
internal static class RuleDataChecks
{
    public static void Check(IReadOnlyList<ReasoningExample> examples, string path)
    {
        string Fail(ReasoningExample e, string what) =>
            throw new InvalidDataException($"{path}:{RuleDataFile.Line(e)}: {what}");

        var grouped = examples.FirstOrDefault(e => Group(e) is not null);
        var ungrouped = examples.FirstOrDefault(e => Group(e) is null);
        if (grouped is not null && ungrouped is not null)
            Fail(ungrouped, $"field '{RuleDataFile.GroupField}' is missing, but line {RuleDataFile.Line(grouped)} " +
                "has one; give every record a group or none");

        var first = new Dictionary<string, ReasoningExample>(StringComparer.Ordinal);
        foreach (var e in examples)
        {
            string content = Key(e.Rule, e.Premises) + "\u0001" + e.Conclusion;
            if (!first.TryAdd(content, e))
                Fail(e, $"the record repeats line {RuleDataFile.Line(first[content])} (same rule, premises and " +
                    "conclusion); remove one");
        }

        var byRule = examples.GroupBy(e => e.Rule, StringComparer.Ordinal).ToList();
        if (byRule.Count < 2)
            Fail(examples[0], $"field 'rule': the file needs at least two rules; found only '{byRule[0].Key}'");
        foreach (var rule in byRule.OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var list = rule.ToList();
            if (list.Count < RuleDataFile.MinimumPerRule)
                Fail(list[0], $"field 'rule': rule '{rule.Key}' has {list.Count} example(s) (lines " +
                    $"{Lines(list)}); each rule needs at least {RuleDataFile.MinimumPerRule} to be split into " +
                    "train, valid and test");
            var groups = list.Select(Group).Distinct().ToList();
            if (grouped is not null && groups.Count < 2)
                Fail(list[0], $"field '{RuleDataFile.GroupField}': every example of rule '{rule.Key}' is in group " +
                    $"'{groups[0]}' (lines {Lines(list)}); the test split holds out whole groups, so each rule needs " +
                    "at least two groups");
        }
    }

    /// <summary>The identity of a rule's premises: what Verify looks conclusions up by.</summary>
    public static string Key(string rule, IEnumerable<string> premises) =>
        rule.Trim() + "\u0001" + string.Join("\u0002", premises.Select(p => p.Trim()));

    private static string? Group(ReasoningExample e) => e.Field(RuleDataFile.GroupField);

    private static string Lines(IEnumerable<ReasoningExample> examples) =>
        string.Join(", ", examples.Select(RuleDataFile.Line));
}

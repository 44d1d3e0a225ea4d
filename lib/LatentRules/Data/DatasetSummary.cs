using LatentRules.Tables;
using Microsoft.Data.Analysis;

namespace LatentRules.Data;

/// <summary>
/// What a dataset holds: examples per rule and split, length statistics, vocabulary, and duplicates within
/// or across splits (content = everything but the id).
/// <code>
/// var summary = DatasetSummary.Of(splits);
/// display(summary.Counts); Console.WriteLine(summary.Duplicates.Count);
/// </code>
/// </summary>
public sealed record DatasetSummary(
    DataFrame Counts,                    // one row per rule: train, valid, test, total
    DataFrame Lengths,                   // one row per split: examples, mean/max premise and conclusion length in words
    int VocabularySize,                  // distinct whitespace-separated words over all splits
    int TestWordsUnseenInTrain,          // distinct test words that never occur in train (held-out terms show here)
    IReadOnlyList<string> Duplicates)    // "id1 = id2" for every example whose content repeats an earlier one
{
    private static readonly string[] SplitNames = { "train", "valid", "test" };

    public static DatasetSummary Of(DatasetSplits splits)
    {
        var parts = new[] { splits.Train, splits.Valid, splits.Test };
        var countRows = new List<object?[]>();
        foreach (var rule in parts.SelectMany(p => p).Select(e => e.Rule).Distinct().Order(StringComparer.Ordinal))
        {
            var n = parts.Select(p => p.Count(e => e.Rule == rule)).ToArray();
            countRows.Add(new object?[] { rule, n[0], n[1], n[2], n.Sum() });
        }
        countRows.Add(new object?[] { "all", parts[0].Count, parts[1].Count, parts[2].Count, parts.Sum(p => p.Count) });
        var counts = Frames.FromRows(new[] { "rule", "train", "valid", "test", "total" }, countRows);

        var lengths = Frames.FromRows(
            new[] { "split", "examples", "premise words (mean)", "premise words (max)", "conclusion words (mean)",
                "conclusion words (max)" },
            Enumerable.Range(0, 3).Select(s =>
            {
                var premise = parts[s].Select(e => e.Premises.Sum(Words)).ToArray();
                var conclusion = parts[s].Select(e => Words(e.Conclusion)).ToArray();
                return new object?[]
                {
                    SplitNames[s], parts[s].Count,
                    premise.Length == 0 ? 0 : Math.Round(premise.Average(), 2), premise.DefaultIfEmpty().Max(),
                    conclusion.Length == 0 ? 0 : Math.Round(conclusion.Average(), 2), conclusion.DefaultIfEmpty().Max(),
                };
            }));

        var trainWords = new HashSet<string>(parts[0].SelectMany(Vocabulary), StringComparer.Ordinal);
        var allWords = new HashSet<string>(parts.SelectMany(p => p).SelectMany(Vocabulary), StringComparer.Ordinal);
        int unseen =
            parts[2].SelectMany(Vocabulary).Distinct(StringComparer.Ordinal).Count(w => !trainWords.Contains(w));
        return new DatasetSummary(counts, lengths, allWords.Count, unseen, FindDuplicates(parts.SelectMany(p => p)));
    }

    /// <summary>
    /// "id1 = id2" for each example whose content (see <see cref="ContentKey"/>) equals an earlier one's.
    /// </summary>
    public static IReadOnlyList<string> FindDuplicates(IEnumerable<ReasoningExample> examples)
    {
        var first = new Dictionary<string, string>(StringComparer.Ordinal);
        var duplicates = new List<string>();
        foreach (var e in examples)
        {
            string key = ContentKey(e);
            if (first.TryGetValue(key, out var earlier)) duplicates.Add($"{earlier} = {e.Id}");
            else first[key] = e.Id;
        }
        return duplicates;
    }

    /// <summary>
    /// Rule, premises, conclusion and task fields (a derivative's variable is part of its input) joined with
    /// separators that never occur in text; the id is left out.
    /// </summary>
    public static string ContentKey(ReasoningExample e) =>
        e.Rule + "\u0001" + string.Join("\u0002", e.Premises) + "\u0001" + e.Conclusion + "\u0001" +
        string.Join("\u0002", (e.Fields ?? new Dictionary<string, string>())
            .OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + "=" + kv.Value));

    /// <summary>Words of a text: its whitespace-separated pieces (LaTeX tokens for math).</summary>
    public static int Words(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;

    private static IEnumerable<string> Vocabulary(ReasoningExample e) =>
        e.Premises.Append(e.Conclusion).SelectMany(t => t.Split(' ', StringSplitOptions.RemoveEmptyEntries));
}

namespace LatentRules.Data;

/// <summary>
/// Readers of published dataset formats by name (`datasets import --format NAME`). Each reads a whole
/// file into records or throws an exception naming the file and line at fault.
/// </summary>
public static class DatasetImporters
{
    private static readonly Dictionary<string, Func<string, IReadOnlyList<ReasoningExample>>> _formats =
        new(StringComparer.Ordinal)
        {
            ["math-lines"] = path => Mathematics.MathLines.ReadFile(path),
            ["entailmentbank-csv"] = path => EntailmentBank.EntailmentBankCsv.ReadFile(path),
            ["entailmentbank-jsonl"] = path => EntailmentBank.EntailmentBankJsonl.ReadFile(path),
        };

    public static IReadOnlyCollection<string> Formats => _formats.Keys;

    public static IReadOnlyList<ReasoningExample> Import(string format, string path) =>
        _formats.TryGetValue(format, out var read)
            ? read(path)
            : throw new ArgumentException(
                $"unknown format '{format}'; known formats: {string.Join(", ", _formats.Keys)}");
}

using LatentRules.Data;
using LatentRules.Tables;

namespace LatentRules.Lab.Commands;

/// <summary>
/// `datasets generate|import|verify`: make a task's splits, convert published files to the record form, and
/// run the task verifiers over a JSONL file (last line `verified k of n`).
/// </summary>
public sealed class DatasetsCommand(TextWriter? output = null) : ILabCommand
{
    private TextWriter Out => output ?? Console.Out;

    public string Name => "datasets";
    public string Summary =>
        "datasets generate --task <" + string.Join("|", ReasoningTasks.All.Select(t => t.Name)) +
        "> --size N --seed S --out <dir> [--valid F --test F --unbalanced --csv]" +
        " | import --format <" + string.Join("|", DatasetImporters.Formats) + "> --input <file> --out <file.jsonl>" +
        " | verify --input <file.jsonl>";

    public int Run(ParsedArgs args) => args.Positionals.FirstOrDefault() switch
    {
        "generate" => Generate(args),
        "import" => Import(args),
        "verify" => Verify(args),
        var other => throw new UsageException($"datasets expects generate, import or verify, got '{other ?? ""}'"),
    };

    private int Generate(ParsedArgs args)
    {
        var task = ReasoningTasks.Get(args.Required("task"));
        var defaults = new GenerationOptions();
        var options = new GenerationOptions(
            Size: args.Int("size", defaults.Size),
            Seed: args.Int("seed", defaults.Seed),
            ValidFraction: args.Double("valid", defaults.ValidFraction),
            TestFraction: args.Double("test", defaults.TestFraction),
            Balanced: !args.Flag("unbalanced"));
        var splits = task.Generate(options);
        var written = DatasetFolder.Save(args.Required("out"), splits, csv: args.Flag("csv"));
        var summary = DatasetSummary.Of(splits);
        Out.WriteLine(summary.Counts.ToMarkdown());
        Out.WriteLine(summary.Lengths.ToMarkdown());
        Out.WriteLine($"vocabulary {summary.VocabularySize} words; test words unseen in train: " +
            $"{summary.TestWordsUnseenInTrain}; duplicates: {summary.Duplicates.Count}");
        foreach (var path in written) Out.WriteLine($"wrote {path}");
        return summary.Duplicates.Count == 0 ? 0 : 1;
    }

    private int Import(ParsedArgs args)
    {
        string input = args.Required("input");
        var examples = DatasetImporters.Import(args.Required("format"), input);
        string output = args.Required("out");
        ReasoningJsonl.Write(output, examples);
        Out.WriteLine($"read {examples.Count} examples from {input}; wrote {output}");
        return 0;
    }

    private int Verify(ParsedArgs args)
    {
        var examples = ReasoningJsonl.Read(args.Required("input"));
        int verified = 0;
        foreach (var e in examples)
        {
            var verdict = ReasoningTasks.Get(e.Task).Verify(e, e.Conclusion);
            if (verdict.Correct) verified++;
            else Out.WriteLine($"{e.Id} ({e.Rule}): {verdict.Reason}");
        }
        Out.WriteLine($"verified {verified} of {examples.Count}");
        return verified == examples.Count ? 0 : 1;
    }
}

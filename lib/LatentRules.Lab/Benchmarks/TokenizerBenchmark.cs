using System.Diagnostics;
using System.Globalization;
using LatentRules.Lab.Commands;
using LatentRules.Tokenizers;

namespace LatentRules.Lab.Benchmarks;

/// <summary>
/// `bench tokenizer`: tokens/s of the lab's Qwen tokenizer (Microsoft.ML.Tokenizers' BPE behind the lab's Qwen split)
/// and of the official JS port on the same corpus (every line of ../shared/reference-data: math derivations and
/// EntailmentBank steps), checking the ids agree, and the time to load tokenizer.json.
/// Each side encodes the corpus twice: first with empty word caches, then with them warm.
/// Last line: `ratio <C# time / JS time>` (first passes).
/// </summary>
public static class TokenizerBenchmark
{
    public static int Run(ParsedArgs args)
    {
        string root = FindRoot();
        string shared = args.Option("shared") ?? Path.GetFullPath(Path.Combine(root, "..", "shared", "reference-data"));
        var lines = new List<string>();
        foreach (var file in new[] { "math-derivations/train.txt", "math-derivations/test.txt",
            "entailmentbank-steps/train.csv", "entailmentbank-steps/test.csv" })
        {
            string path = Path.Combine(shared, file);
            if (!File.Exists(path)) throw new IOException($"{path} not found (pass --shared <reference-data folder>)");
            lines.AddRange(File.ReadLines(path));
        }
        string tokenizerPath = ByteLevelBpeTokenizer.QwenTokenizerPath();
        var watch = Stopwatch.StartNew();
        var tokenizer = ByteLevelBpeTokenizer.Load(tokenizerPath);
        double loadMs = watch.Elapsed.TotalMilliseconds;

        watch.Restart();
        var ids = lines.Select(line => tokenizer.Encode(line)).ToList();
        double coldMs = watch.Elapsed.TotalMilliseconds;
        watch.Restart();
        foreach (var line in lines) tokenizer.Encode(line);
        double warmMs = watch.Elapsed.TotalMilliseconds;
        long tokens = ids.Sum(c => (long)c.Length);

        var js = JsTokenizer.Encode(root, tokenizerPath, lines);
        int mismatches = ids.Where((row, k) => !row.SequenceEqual(js.Ids[k])).Count();
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"{lines.Count:N0} lines, {tokens:N0} tokens; lines whose ids differ from the JS " +
            $"reference: {mismatches}; C# load of tokenizer.json {loadMs:F0} ms");
        Console.WriteLine();
        Console.WriteLine("| tokenizer | pass | time (ms) | tokens/s |");
        Console.WriteLine("|---|---|---:|---:|");
        void Row(string who, string pass, double ms) =>
            Console.WriteLine(string.Format(inv, "| {0} | {1} | {2:F0} | {3:N0} |", who, pass, ms, tokens / ms * 1000));
        Row("C# ByteLevelBpeTokenizer (Microsoft.ML.Tokenizers 2.0.1)", "first (cold BPE cache)", coldMs);
        Row("C# ByteLevelBpeTokenizer (Microsoft.ML.Tokenizers 2.0.1)", "second (warm BPE cache)", warmMs);
        Row("JS @huggingface/tokenizers 0.2.0", "first (cold BPE cache)", js.FirstPassMs);
        Row("JS @huggingface/tokenizers 0.2.0", "second (warm BPE cache)", js.SecondPassMs);
        Console.WriteLine();
        Console.WriteLine(string.Format(inv, "ratio {0:F3}", coldMs / js.FirstPassMs));
        return mismatches == 0 ? 0 : 1;
    }

    private static string FindRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
            for (var d = new DirectoryInfo(start); d != null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "LatentRules.slnx"))) return d.FullName;
        throw new IOException("repository root (LatentRules.slnx) not found");
    }
}

using System.Text.Json;
using LatentRules.Tokenizers;

namespace LatentRules.Lab.Commands;

/// <summary>`tokenize --tokenizer qwen|tokenizer.json|vocab.json --input FILE`: one JSON array of ids per input
/// line.</summary>
public sealed class TokenizeCommand : ILabCommand
{
    public string Name => "tokenize";
    public string Summary =>
        "print token ids per line: tokenize --tokenizer qwen|<tokenizer.json>|<word vocab.json> --input <file>";

    public int Run(ParsedArgs args)
    {
        string input = args.Required("input");
        if (!File.Exists(input)) throw new IOException($"input not found: {input}");
        var tokenizer = TokenizerFile.Load(args.Required("tokenizer"));   // the kind is read from the file
        using var stdout = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = false };
        foreach (var line in File.ReadLines(input)) stdout.WriteLine(JsonSerializer.Serialize(tokenizer.Encode(line)));
        return 0;
    }
}

using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace LatentRules.Tests.Support;

/// <summary>Reading outputs of executed notebooks in tests.</summary>
public static partial class NotebookOutputs
{
    /// <summary>
    /// The text of an output: a stream's text, an error's message, or a value's text/plain. The kernel sends values
    /// without a formatter of their own (numbers, strings) as text/html only, `&lt;pre&gt;value&lt;/pre&gt;` inside a
    /// div, as VS Code receives them; their text is read from there.
    /// </summary>
    public static string Text(JsonNode output) =>
        output["text"]?.GetValue<string>() ?? output["evalue"]?.GetValue<string>()
            ?? output["data"]?["text/plain"]?.GetValue<string>()
        ?? (output["data"]?["text/html"]?.GetValue<string>() is { } html
            && PlainValue().Match(html) is { Success: true } m
            ? WebUtility.HtmlDecode(m.Groups[1].Value) : "");

    [GeneratedRegex(@"^<div class=""dni-plaintext""><pre>(.*?)</pre></div>", RegexOptions.Singleline)]
    private static partial Regex PlainValue();

    /// <summary>Every error output of a written notebook, for a failure message.</summary>
    public static string Errors(string path)
    {
        if (!File.Exists(path)) return $"{path} was not written";
        var errors = ((JsonArray)JsonNode.Parse(File.ReadAllText(path))!["cells"]!)
            .Select((c, k) => (k, outputs: c!["outputs"] as JsonArray ?? new JsonArray()))
            .SelectMany(x => x.outputs.Where(o => o!["output_type"]!.GetValue<string>() == "error")
                .Select(o => $"cell {x.k + 1}: {o!["ename"]}: {o["evalue"]}"));
        return string.Join("\n", errors);
    }
}

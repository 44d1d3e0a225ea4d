using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace LatentRules.Lab.Notebooks;

/// <summary>
/// Turns the kernel's events for one cell into that cell's nbformat 4 outputs, as a notebook frontend does:
/// printed text becomes stream outputs (consecutive writes merged), displayed values display_data, the trailing
/// expression an execute_result, a failure an error output. An update replaces the displayed value with the same
/// id; an update whose id no output has is dropped, exactly as VS Code drops it.
/// </summary>
public sealed partial class CellOutputs
{
    private readonly JsonArray _outputs = new();
    private readonly Dictionary<string, JsonObject> _byValueId = new();
    private readonly int _executionCount;

    public CellOutputs(JsonObject cell, int executionCount)
    {
        _executionCount = executionCount;
        cell["outputs"] = _outputs;
        cell["execution_count"] = executionCount;
    }

    /// <summary>"Type: message" of the last error output, for the run's summary line.</summary>
    public string LastError { get; private set; } = "";

    public void Add(KernelEvent e)
    {
        switch (e.Type)
        {
            case "StandardOutputValueProduced": Stream("stdout", PlainText(e.Body)); break;
            case "StandardErrorValueProduced": Stream("stderr", PlainText(e.Body)); break;
            case "ErrorProduced": Stream("stderr", e.Body["message"]?.GetValue<string>() ?? PlainText(e.Body)); break;
            case "DisplayedValueProduced":
                var shown = Data("display_data", e.Body);
                if (e.Body["valueId"]?.GetValue<string>() is { } id) _byValueId[id] = shown;
                _outputs.Add(shown);
                break;
            case "DisplayedValueUpdated":
                if (e.Body["valueId"]?.GetValue<string>() is { } updated
                    && _byValueId.TryGetValue(updated, out var target))
                    target["data"] = Bundle(e.Body);
                break;
            case "ReturnValueProduced": _outputs.Add(Data("execute_result", e.Body)); break;
            case "CommandFailed":
                Failed(e.Body["message"]?.GetValue<string>() ?? "the kernel reported a failure without a message");
                break;
        }
    }

    /// <summary>Adds an error output that the runner itself produced (timeout, kernel gone).</summary>
    public void Error(string name, string message) => Error(name, message, message.Split('\n'));

    private void Error(string name, string message, IEnumerable<string> traceback)
    {
        LastError = $"{name}: {message}";
        _outputs.Add(new JsonObject
        {
            ["output_type"] = "error", ["ename"] = name, ["evalue"] = message,
            ["traceback"] = new JsonArray(traceback.Select(l => (JsonNode)l.TrimEnd()!).ToArray()),
        });
    }

    [GeneratedRegex(@"^(?<type>[A-Za-z_][\w.`]*(?:Exception|Error)): ?(?<message>.*)$", RegexOptions.Singleline)]
    private static partial Regex ExceptionHeader();

    // The kernel's message is an exception's ToString() ("System.InvalidOperationException: boom\n   at ...") or
    // compiler diagnostics ("(1,9): error CS0029: ..."). The traceback keeps the whole text, line by line.
    private void Failed(string message)
    {
        int stack = message.IndexOf("\n   at ", StringComparison.Ordinal);
        string head = (stack >= 0 ? message[..stack] : message).TrimEnd();
        var match = ExceptionHeader().Match(head);
        string name = match.Success ? match.Groups["type"].Value.Split('.')[^1] : "CompilationError";
        Error(name, match.Success ? match.Groups["message"].Value.TrimEnd() : head, message.Split('\n'));
    }

    private void Stream(string name, string text)
    {
        if (_outputs.Count > 0 && _outputs[^1] is JsonObject last &&
            last["output_type"]?.GetValue<string>() == "stream" && last["name"]?.GetValue<string>() == name)
            last["text"] = last["text"]!.GetValue<string>() + text;
        else
            _outputs.Add(new JsonObject { ["output_type"] = "stream", ["name"] = name, ["text"] = text });
    }

    private JsonObject Data(string kind, JsonObject body)
    {
        var output =
            new JsonObject { ["output_type"] = kind, ["data"] = Bundle(body), ["metadata"] = new JsonObject() };
        if (kind == "execute_result") output["execution_count"] = _executionCount;
        return output;
    }

    private static JsonObject Bundle(JsonObject body)
    {
        var bundle = new JsonObject();
        foreach (var value in body["formattedValues"] as JsonArray ?? new JsonArray())
            if (value?["mimeType"]?.GetValue<string>() is { } mime
                && value["suppressDisplay"]?.GetValue<bool>() != true)
                bundle[mime] = value["value"]?.GetValue<string>() ?? "";
        return bundle;
    }

    private static string PlainText(JsonObject body) =>
        (body["formattedValues"] as JsonArray)?.FirstOrDefault(v =>
            v?["mimeType"]?.GetValue<string>() == "text/plain")?["value"]?.GetValue<string>() ?? "";
}

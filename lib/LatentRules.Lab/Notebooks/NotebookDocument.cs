using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LatentRules.Torch.Serialization;

namespace LatentRules.Lab.Notebooks;

/// <summary>
/// An nbformat 4 notebook held as JSON, so fields the runner does not know survive a round trip. Loading
/// refuses invalid JSON, other nbformat versions and cells in a language other than C#, naming the file
/// and the cell.
/// </summary>
public sealed class NotebookDocument
{
    public string Path { get; }
    public JsonObject Root { get; }
    public JsonArray Cells => (JsonArray)Root["cells"]!;

    private NotebookDocument(string path, JsonObject root) { Path = path; Root = root; }

    public static NotebookDocument Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"notebook not found: {path}", path);
        JsonNode? node;
        try { node = JsonNode.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not valid JSON ({e.Message})", e); }
        if (node is not JsonObject root)
            throw new InvalidDataException($"{path}: not a notebook (top level is not a JSON object)");
        int major = root["nbformat"] is JsonValue v && v.TryGetValue(out int n) ? n : -1;
        if (major != 4)
            throw new InvalidDataException($"{path}: nbformat {(major < 0 ? "missing" : major.ToString())}; only " +
                "nbformat 4 is supported");
        if (root["cells"] is not JsonArray cells) throw new InvalidDataException($"{path}: no 'cells' array");
        var doc = new NotebookDocument(path, root);
        for (int k = 0; k < cells.Count; k++) doc.CheckCell(k);
        return doc;
    }

    private void CheckCell(int index)
    {
        if (Cells[index] is not JsonObject cell)
            throw new InvalidDataException($"{Path}: cell {index + 1} is not an object");
        string type = cell["cell_type"]?.GetValue<string>() ?? "";
        if (type is not ("code" or "markdown" or "raw"))
            throw new InvalidDataException($"{Path}: cell {index + 1} has unknown cell_type '{type}'");
        if (type != "code") return;
        string? language = cell["metadata"]?["dotnet_interactive"]?["language"]?.GetValue<string>()
            ?? cell["metadata"]?["polyglot_notebook"]?["kernelName"]?.GetValue<string>();
        string source = Source(index);
        string? magic = source.TrimStart().StartsWith("#!", StringComparison.Ordinal)
            ? source.TrimStart()[2..].Split('\n')[0].Trim() : null;
        if ((language is not null && language != "csharp") || (magic is not null && magic != "csharp"))
            throw new InvalidDataException($"{Path}: cell {index + 1} is in language '{magic ?? language}'; the " +
                "runner executes C# cells only");
    }

    public string CellType(int index) => Cells[index]!["cell_type"]!.GetValue<string>();

    /// <summary>A cell's source, whether stored as one string or as a list of lines.</summary>
    public string Source(int index) => Cells[index]!["source"] switch
    {
        JsonValue s => s.GetValue<string>(),
        JsonArray lines => string.Concat(lines.Select(l => l!.GetValue<string>())),
        _ => "",
    };

    public bool HasTag(int index, string tag) =>
        Cells[index]!["metadata"]?["tags"] is JsonArray tags && tags.Any(t => t?.GetValue<string>() == tag);

    /// <summary>Inserts a C# code cell (with the .NET Interactive metadata) at <paramref name="index"/>.</summary>
    public void InsertCode(int index, string source, params string[] tags)
    {
        var cell = NotebookCells.Code(source, tags);
        // nbformat 4.5+ gives every cell an id; derive it from the position and text so runs stay reproducible.
        int minor = Root["nbformat_minor"] is JsonValue m && m.TryGetValue(out int v) ? v : 0;
        if (minor >= 5)
        {
            var taken = Cells.OfType<JsonObject>().Select(c => c["id"]?.GetValue<string>()).OfType<string>()
                .ToHashSet();
            cell["id"] = NotebookCells.CellId(index, cell, taken);
        }
        Cells.Insert(index, cell);
    }

    public void ClearOutputs()
    {
        foreach (var cell in Cells.OfType<JsonObject>().Where(c => c["cell_type"]?.GetValue<string>() == "code"))
        {
            cell["outputs"] = new JsonArray();
            cell["execution_count"] = null;
        }
    }

    /// <summary>Writes the notebook (atomically) as Jupyter does: one-space indentation, keys sorted.</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, NotebookJson.Serialize(Root));
}

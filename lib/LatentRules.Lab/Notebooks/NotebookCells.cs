using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace LatentRules.Lab.Notebooks;

/// <summary>The .NET Interactive metadata of notebooks and cells, and nbformat's cell conventions.</summary>
public static class NotebookCells
{
    /// <summary>Notebook-level metadata: the .NET (C#) kernel, as VS Code's Polyglot Notebooks writes it.</summary>
    public static JsonObject NotebookMetadata() => new()
    {
        ["kernelspec"] =
            new JsonObject { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" },
        ["language_info"] = new JsonObject { ["name"] = "csharp" },
        ["polyglot_notebook"] = new JsonObject
        {
            ["kernelInfo"] = new JsonObject
            {
                ["defaultKernelName"] = "csharp",
                ["items"] = new JsonArray(new JsonObject { ["name"] = "csharp" }),
            },
        },
    };

    /// <summary>Metadata of a C# code cell.</summary>
    public static JsonObject CodeMetadata() => new()
    {
        ["dotnet_interactive"] = new JsonObject { ["language"] = "csharp" },
        ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" },
    };

    /// <summary>A C# code cell with the .NET Interactive metadata, no outputs, optionally tagged (e.g.
    /// "parameters").</summary>
    public static JsonObject Code(string source, params string[] tags)
    {
        var metadata = CodeMetadata();
        if (tags.Length > 0) metadata["tags"] = new JsonArray(tags.Select(t => (JsonNode)t!).ToArray());
        return new JsonObject
        {
            ["cell_type"] = "code", ["execution_count"] = null, ["metadata"] = metadata,
            ["outputs"] = new JsonArray(), ["source"] = SourceLines(source),
        };
    }

    /// <summary>Source text as nbformat's list of lines (each but the last ending in a newline).</summary>
    public static JsonArray SourceLines(string text)
    {
        var lines = new JsonArray();
        int start = 0;
        for (int k = 0; k < text.Length; k++)
            if (text[k] == '\n') { lines.Add(text[start..(k + 1)]); start = k + 1; }
        if (start < text.Length) lines.Add(text[start..]);
        return lines;
    }

    /// <summary>An nbformat 4.5 cell id (8 hex digits) from the cell's position and content, unique in the
    /// notebook.</summary>
    public static string CellId(int index, JsonObject cell, ISet<string> taken)
    {
        string content = $"{index}:{cell["cell_type"]}:{cell["source"]?.ToJsonString()}";
        for (int salt = 0; ; salt++)
        {
            string id = Convert.ToHexString(SHA256.HashData(
                Encoding.UTF8.GetBytes(salt == 0 ? content : $"{content}#{salt}")))[..8].ToLowerInvariant();
            if (taken.Add(id)) return id;
        }
    }

}

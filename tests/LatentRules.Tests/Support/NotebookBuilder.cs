using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LatentRules.Lab.Notebooks;
using LatentRules.Torch.Serialization;
using static LatentRules.Lab.Notebooks.NotebookCells;

namespace LatentRules.Tests.Support;

/// <summary>
/// Writes a notebook from code (the tests' notebooks): nbformat 4.5 with the .NET Interactive metadata, so VS Code
/// (Polyglot Notebooks, or Jupyter with the .NET kernel) and the lab's headless runner both open it.
/// <code>
/// new NotebookBuilder()
///     .Markdown("""
///         # 01 · The datasets
///         What this notebook shows ...
///         """)
///     .Parameters("""
///         int examples = 200;     // per rule; paper: 10,000
///         long seed = 0;
///         """)
///     .UseLibrary("LatentRules.Data", "LatentRules.Tables", "LatentRules.Plots")
///     .Code("""
///         var table = Frames.FromRecords(...);
///         table
///         """)
///     .Save("notebooks/01-datasets.ipynb");
/// </code>
/// Sources are stored as Jupyter stores them (a list of lines, no trailing newline) and cell ids are derived
/// from position and content, so regenerating an unchanged notebook rewrites the same bytes.
/// </summary>
public sealed partial class NotebookBuilder
{
    /// <summary>The library as a notebook in notebooks/ references it (built by environment/setup.sh).</summary>
    public const string DefaultLibraryPath = "../lib/LatentRules/bin/Debug/net8.0/LatentRules.dll";

    /// <summary>The path <see cref="UseLibrary"/> writes into `#r`, relative to the notebook's folder.</summary>
    public string LibraryPath { get; init; } = DefaultLibraryPath;

    private readonly List<JsonObject> _cells = new();
    private bool _hasParameters;

    public int CellCount => _cells.Count;

    /// <summary>A Markdown cell.</summary>
    public NotebookBuilder Markdown(string text)
    {
        _cells.Add(new JsonObject
        {
            ["cell_type"] = "markdown", ["metadata"] = new JsonObject(), ["source"] = SourceLines(Clean(text)),
        });
        return this;
    }

    /// <summary>A C# code cell, optionally tagged (e.g. "parameters", or "remove-input" for a report).</summary>
    public NotebookBuilder Code(string source, params string[] tags)
    {
        string text = Clean(source);
        if (Magic().Match(text) is { Success: true } magic && magic.Groups[1].Value != "csharp")
            throw new ArgumentException($"cell {_cells.Count + 1}: '#!{magic.Groups[1].Value}' cells are not C#; the " +
                "lab's runner executes C# cells only");
        _cells.Add(NotebookCells.Code(text, tags));
        return this;
    }

    /// <summary>
    /// The cell tagged `parameters` (papermill's convention), whose values `-p name=value` overrides. Each line is
    /// a declaration `TYPE name = value;` with TYPE one of int, long, double, float, bool, string (each may be
    /// nullable, `int?`) or var, a
    /// comment, or blank; the defaults should be the small configuration that CI runs.
    /// </summary>
    public NotebookBuilder Parameters(string declarations)
    {
        if (_hasParameters)
            throw new InvalidOperationException("a notebook has one parameters cell; Parameters(...) was called twice");
        string text = Clean(declarations);
        var lines = text.Split('\n');
        for (int k = 0; k < lines.Length; k++)
        {
            string line = lines[k].Trim();
            if (line.Length == 0 || line.StartsWith("//", StringComparison.Ordinal)) continue;
            if (!Declaration().IsMatch(line))
                throw new ArgumentException(
                    $"parameters cell, line {k + 1}: '{line}' is not a declaration 'TYPE name = value;' " +
                    "(TYPE: int, long, double, float, bool, string, one of them nullable, or var) that -p can " +
                    "override");
        }
        _hasParameters = true;
        return Code(text, "parameters");
    }

    /// <summary>
    /// The cell that loads the library: `#r` of <see cref="LibraryPath"/>, a `using` per argument (e.g.
    /// "LatentRules.Torch", "static TorchSharp.torch", "F = TorchSharp.torch.nn.functional").
    /// </summary>
    public NotebookBuilder UseLibrary(params string[] usings)
    {
        var source = new StringBuilder().Append("#r \"").Append(LibraryPath).Append("\"\n");
        foreach (string u in usings)
        {
            string target = u.Trim();
            if (target.StartsWith("using ", StringComparison.Ordinal)) target = target[6..];
            source.Append("using ").Append(target.TrimEnd(';')).Append(";\n");
        }
        return Code(source.ToString());
    }

    /// <summary>The notebook as nbformat 4.5 JSON.</summary>
    public JsonObject ToJsonObject()
    {
        var cells = new JsonArray();
        var ids = new HashSet<string>();
        for (int k = 0; k < _cells.Count; k++)
        {
            var cell = (JsonObject)_cells[k].DeepClone();
            cell["id"] = CellId(k, cell, ids);
            cells.Add(cell);
        }
        return new JsonObject
        {
            ["cells"] = cells,
            ["metadata"] = NotebookMetadata(),
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };
    }

    public string ToJson() => NotebookJson.Serialize(ToJsonObject());

    /// <summary>Writes the notebook (atomically), creating its folder if needed.</summary>
    public void Save(string path)
    {
        AtomicFile.WriteAllText(path, ToJson());
    }

    // Line endings normalised, trailing blank lines and whitespace dropped (Jupyter stores no final newline).
    private static string Clean(string text) => text.Replace("\r\n", "\n").Replace('\r', '\n').TrimEnd();

    [GeneratedRegex(@"^\s*#!\s*(\S+)")]
    private static partial Regex Magic();

    [GeneratedRegex(@"^(?:const\s+)?(?:var|(?:int|long|double|float|bool|string)\??)\s+[A-Za-z_]" +
        @"\w*\s*=\s*[^;]+;\s*(?://.*)?$")]
    private static partial Regex Declaration();
}

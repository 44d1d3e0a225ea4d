using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using LatentRules.Notebooks;
using LatentRules.Plots;

namespace LatentRules.Lab.Notebooks;

/// <summary>
/// A notebook as the repository keeps it: run top to bottom at its defaults, with its outputs, so a reader on GitHub
/// or in VS Code sees every number and chart without running it (`lab publish`). The copy stays small and readable
/// everywhere: plotly.js and KaTeX are not inlined; each chart keeps its interactive output (it draws where plotly.js
/// is on the page: a live session, the HTML report) and gains a static PNG right after it, which viewers that run no
/// scripts (GitHub) show. The notebook's metadata records a hash of its code, so a check can tell outputs that no
/// longer belong to the code.
/// </summary>
public static class PublishedNotebook
{
    /// <summary>The largest committed notebook, in bytes of its file.</summary>
    public const int MaxBytes = 2 * 1024 * 1024;

    /// <summary>The width and height of a chart's PNG when the figure sets no size.</summary>
    public static readonly (int Width, int Height) DefaultImageSize = (900, 500);

    /// <summary>
    /// Parameters whose defaults point into ../data/runs/ (try-this tables, stored models): what earlier runs left on
    /// this machine. A published run gets a fresh, empty place for each, as on a fresh clone.
    /// </summary>
    public static List<KeyValuePair<string, string>> FreshRunPlaces(NotebookDocument notebook, string scratch) =>
        ParameterInjection.Defaults(notebook)
            .Where(d => d.Value.StartsWith("\"../data/runs/", StringComparison.Ordinal))
            .Select(d => KeyValuePair.Create(d.Key, Path.Combine(scratch, d.Value.Trim('"')["../data/runs/".Length..])))
            .ToList();

    /// <summary>
    /// Turns an executed notebook into its published form: the injected-parameters cell removed (execution counts
    /// renumbered), inlined libraries dropped, a PNG from <paramref name="png"/> after each chart, the code hash
    /// recorded. Returns the number of charts.
    /// </summary>
    public static int Finish(NotebookDocument notebook, Func<Figure, byte[]> png)
    {
        for (int k = notebook.Cells.Count - 1; k >= 0; k--)
            if (notebook.HasTag(k, "injected-parameters")) notebook.Cells.RemoveAt(k);
        int count = 0, charts = 0;
        foreach (var cell in CodeCells(notebook))
        {
            cell["execution_count"] = ++count;
            var published = new JsonArray();
            foreach (var node in (cell["outputs"] as JsonArray ?? new JsonArray()).ToList())
            {
                var output = (JsonObject)node!.DeepClone();
                if (output["execution_count"] is not null) output["execution_count"] = count;
                var figures = new List<Figure>();
                if (output["data"]?["text/html"]?.GetValue<string>() is { } html)
                {
                    figures.AddRange(Figure.InHtml(html));
                    html = BrowserAsset.Katex.WithoutInline(BrowserAsset.Plotly.WithoutInline(html));
                    output["data"]!["text/html"] = figures.Count == 1 ? figures[0].ToHtmlWhereLoaded() : html;
                }
                published.Add(output);
                foreach (var figure in figures) published.Add(StaticImage(figure, png(figure)));
                charts += figures.Count;
            }
            cell["outputs"] = published;
        }
        var meta = notebook.Root["metadata"] as JsonObject
            ?? (JsonObject)(notebook.Root["metadata"] = new JsonObject());
        meta["latentrules"] = new JsonObject { ["published_code_sha256"] = CodeHash(notebook) };
        return charts;
    }

    /// <summary>A PNG of the figure drawn by headless Chromium (see <see cref="Figure.SavePng"/>).</summary>
    public static byte[] RenderPng(Figure figure)
    {
        string path = Path.Combine(Path.GetTempPath(), $"lr-publish-{Guid.NewGuid():N}.png");
        try
        {
            var (width, height) = figure.SizeOr(DefaultImageSize.Width, DefaultImageSize.Height);
            figure.SavePng(path, width, height);
            return File.ReadAllBytes(path);
        }
        finally { File.Delete(path); }
    }

    private static JsonObject StaticImage(Figure figure, byte[] png) => new()
    {
        ["output_type"] = "display_data",
        ["data"] = new JsonObject
        {
            ["image/png"] = Convert.ToBase64String(png),
            ["text/plain"] = $"{figure.ToText()} (static image; re-run the cell for the interactive chart)",
        },
        ["metadata"] = new JsonObject { ["latentrules"] = new JsonObject { ["static_copy"] = true } },
    };

    /// <summary>Whether an output is the static copy of the chart before it.</summary>
    public static bool IsStaticCopy(JsonObject output) =>
        output["metadata"]?["latentrules"]?["static_copy"]?.GetValue<bool>() == true;

    /// <summary>
    /// What is wrong with a notebook kept with its outputs, one line each (none: it is a complete, error-free run of
    /// exactly this code, within the size limit, with a static image after every chart and no inlined library).
    /// </summary>
    public static List<string> Problems(NotebookDocument notebook)
    {
        var problems = new List<string>();
        string name = Path.GetFileName(notebook.Path);
        string? recorded = notebook.Root["metadata"]?["latentrules"]?["published_code_sha256"]?.GetValue<string>();
        if (recorded is null) problems.Add($"{name}: no outputs published (run `lab publish {name}`)");
        else if (recorded != CodeHash(notebook))
            problems.Add($"{name}: its code changed since its outputs were published (run `lab publish {name}`)");
        int bytes = Encoding.UTF8.GetByteCount(NotebookJson.Serialize(notebook.Root));
        if (bytes > MaxBytes) problems.Add($"{name}: {bytes:N0} bytes, over the limit of {MaxBytes:N0}");
        int total = 0;
        for (int k = 0; k < notebook.Cells.Count; k++)
        {
            if (notebook.CellType(k) != "code") continue;
            var cell = (JsonObject)notebook.Cells[k]!;
            if (cell["execution_count"] is null) problems.Add($"{name}: cell {k + 1} was not run");
            var outputs = (cell["outputs"] as JsonArray ?? new JsonArray()).OfType<JsonObject>().ToList();
            total += outputs.Count;
            for (int o = 0; o < outputs.Count; o++)
            {
                var output = outputs[o];
                if (output["output_type"]?.GetValue<string>() == "error")
                    problems.Add($"{name}: cell {k + 1} has an error output ({output["ename"]}: {output["evalue"]})");
                string html = output["data"]?["text/html"]?.GetValue<string>() ?? "";
                foreach (var asset in new[] { BrowserAsset.Plotly, BrowserAsset.Katex })
                    if (html.Contains(asset.InlineMarker, StringComparison.Ordinal))
                        problems.Add($"{name}: cell {k + 1} inlines a browser library ({asset.InlineMarker})");
                int figures = Figure.InHtml(html).Count;
                bool imaged = outputs.Skip(o + 1).Take(figures).Count(IsStaticCopy) == figures;
                if (figures > 0 && !imaged) problems.Add($"{name}: cell {k + 1} has a chart without its static image");
            }
        }
        if (total == 0) problems.Add($"{name}: no code cell has an output");
        return problems;
    }

    /// <summary>SHA-256 of the code cells' sources, in order (hex).</summary>
    public static string CodeHash(NotebookDocument notebook)
    {
        var sources = Enumerable.Range(0, notebook.Cells.Count).Where(k => notebook.CellType(k) == "code")
            .Select(notebook.Source);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\0", sources))));
    }

    private static IEnumerable<JsonObject> CodeCells(NotebookDocument notebook) =>
        notebook.Cells.OfType<JsonObject>().Where(c => c["cell_type"]?.GetValue<string>() == "code");
}

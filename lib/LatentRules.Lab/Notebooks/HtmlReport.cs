using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LatentRules.Notebooks;
using LatentRules.Torch.Serialization;

namespace LatentRules.Lab.Notebooks;

/// <summary>
/// A standalone HTML page of an executed notebook: Markdown rendered, code and outputs inline. The kernel's first
/// figure carries plotly.min.js itself, its first formula KaTeX; only when an output uses a library that no output
/// carries (a notebook saved elsewhere) is it inlined here from environment/node_modules, so the page works offline.
/// Formulas in Markdown cells are typeset by KaTeX at the end of the page; images next to the notebook are embedded.
/// </summary>
public static class HtmlReport
{
    public static void Write(NotebookDocument notebook, string path)
    {
        var body = new StringBuilder();
        var assets = new[] { (BrowserAsset.Plotly, "Plotly.newPlot"), (BrowserAsset.Katex, "katex.render") };
        var needed = new HashSet<BrowserAsset>();
        var carried = new HashSet<BrowserAsset>();
        string folder = Path.GetDirectoryName(Path.GetFullPath(notebook.Path))!;   // relative image paths start here
        bool formulas = false;
        for (int k = 0; k < notebook.Cells.Count; k++)
        {
            string type = notebook.CellType(k);
            string source = notebook.Source(k);
            if (type == "markdown")
            {
                string markdown = MarkdownToHtml.Convert(source, folder);
                formulas |= markdown.Contains("class=\"lr-tex\"", StringComparison.Ordinal);
                body.Append("<div class=\"md\">").Append(markdown).Append("</div>\n");
                continue;
            }
            if (type != "code") continue;
            body.Append("<pre class=\"code\"><code>").Append(WebUtility.HtmlEncode(source)).Append("</code></pre>\n");
            foreach (var output in (notebook.Cells[k]!["outputs"] as JsonArray ?? new JsonArray()).OfType<JsonObject>())
            {
                if (PublishedNotebook.IsStaticCopy(output)) continue;      // the page draws the chart itself
                string html = OutputHtml(output);
                foreach (var (asset, use) in assets)
                {
                    if (html.Contains(use, StringComparison.Ordinal)) needed.Add(asset);
                    if (html.Contains(asset.InlineMarker, StringComparison.Ordinal)) carried.Add(asset);
                }
                body.Append("<div class=\"out\">").Append(html).Append("</div>\n");
            }
        }
        if (formulas)
        {
            needed.Add(BrowserAsset.Katex);
            body.Append(Latex.Typeset());          // after every output, one of which may carry KaTeX itself
        }
        var page = new StringBuilder();
        page.Append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
            .Append(WebUtility.HtmlEncode(Path.GetFileNameWithoutExtension(notebook.Path))).Append("</title>\n<style>")
            .Append("body{font-family:sans-serif;max-width:960px;margin:2em auto;line-height:1.45}")
            .Append("pre.code{background:#f4f4f4;padding:.6em;border-left:3px solid #88a;white-space:pre-wrap}")
            .Append(".out{margin:.3em 0 1.2em 0}.out pre{margin:0}.err{color:#b00}table{border-collapse:collapse}")
            .Append("td,th{border:1px solid #ccc;padding:.2em .5em}div.math{margin:.6em 0;overflow-x:auto}</style>\n");
        foreach (var asset in needed.Except(carried)) page.Append(asset.Inline());
        page.Append("</head><body>\n").Append(body).Append("</body></html>\n");
        AtomicFile.WriteAllText(path, page.ToString());
    }

    private static string OutputHtml(JsonObject output)
    {
        switch (output["output_type"]?.GetValue<string>())
        {
            case "stream":
                return $"<pre>{WebUtility.HtmlEncode(output["text"]?.GetValue<string>() ?? "")}</pre>";
            case "error":
                var trace = string.Join("\n",
                    (output["traceback"] as JsonArray ?? new JsonArray()).Select(t => t!.GetValue<string>()));
                return $"<pre class=\"err\">{WebUtility.HtmlEncode(trace)}</pre>";
            default:
                var data = output["data"] as JsonObject;
                if (data?["text/html"] is JsonNode html) return html.GetValue<string>();
                return $"<pre>{WebUtility.HtmlEncode(data?["text/plain"]?.GetValue<string>() ?? "")}</pre>";
        }
    }
}

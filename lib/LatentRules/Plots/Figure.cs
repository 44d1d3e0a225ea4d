using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using LatentRules.Notebooks;

namespace LatentRules.Plots;

/// <summary>
/// A plotly.js figure built in C#: traces plus a layout, serialised to plotly's JSON. Build one with the
/// static constructors (Scatter, Line, Bar, Histogram, Heatmap, Box) or add traces to a grid of subplots.
/// In a notebook it renders as HTML; <see cref="SaveHtml"/> writes a page that works offline.
/// </summary>
public sealed class Figure : IHtmlRenderable
{
    private readonly List<JsonObject> _traces = new();
    private readonly JsonObject _layout = new();
    private readonly int _rows, _cols;

    /// <summary>An empty figure; rows x cols &gt; 1 makes a grid of subplots.</summary>
    public Figure(int rows = 1, int cols = 1)
    {
        if (rows < 1 || cols < 1)
            throw new ArgumentException($"a figure needs at least one row and column, got {rows}x{cols}");
        _rows = rows; _cols = cols;
        if (rows * cols > 1)
            _layout["grid"] = new JsonObject { ["rows"] = rows, ["columns"] = cols, ["pattern"] = "independent" };
    }

    public IReadOnlyList<JsonObject> Traces => _traces;

    public Figure Title(string title) { _layout["title"] = new JsonObject { ["text"] = title }; return this; }

    /// <summary>Axis titles of the subplot at (row, col), counted from 1.</summary>
    public Figure Axes(string? x = null, string? y = null, int row = 1, int col = 1)
    {
        string suffix = AxisSuffix(row, col);
        if (x is not null) Axis("xaxis" + suffix)["title"] = new JsonObject { ["text"] = x };
        if (y is not null) Axis("yaxis" + suffix)["title"] = new JsonObject { ["text"] = y };
        return this;
    }

    public Figure Size(int width, int height) { _layout["width"] = width; _layout["height"] = height; return this; }

    /// <summary>Sets any layout field (plotly's names), for what the helpers do not cover.</summary>
    public Figure Layout(string field, JsonNode value) { _layout[field] = value; return this; }

    private JsonObject Axis(string name) =>
        (_layout[name] as JsonObject) ?? (JsonObject)(_layout[name] = new JsonObject());

    private string AxisSuffix(int row, int col)
    {
        if (row < 1 || row > _rows || col < 1 || col > _cols)
            throw new ArgumentOutOfRangeException(nameof(row),
                $"subplot ({row}, {col}) outside a {_rows}x{_cols} grid");
        int index = (row - 1) * _cols + col;
        return index == 1 ? "" : index.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Adds a trace (plotly's JSON) to the subplot at (row, col).</summary>
    public Figure Add(JsonObject trace, int row = 1, int col = 1)
    {
        string suffix = AxisSuffix(row, col);
        if (suffix.Length > 0 && trace["type"]?.GetValue<string>() is not ("scatter3d"))
        {
            trace["xaxis"] = "x" + suffix;
            trace["yaxis"] = "y" + suffix;
        }
        _traces.Add(trace);
        return this;
    }

    /// <summary>
    /// Adds every trace of another figure (e.g. one from <see cref="Charts"/>) to the subplot at (row, col).
    /// </summary>
    public Figure Add(Figure other, int row = 1, int col = 1)
    {
        foreach (var trace in other.Traces) Add((JsonObject)trace.DeepClone(), row, col);
        return this;
    }

    // ---- JSON and HTML ---------------------------------------------------------------------------

    public JsonObject ToJsonObject() => new()
    {
        ["data"] = new JsonArray(_traces.Select(t => (JsonNode)t.DeepClone()).ToArray()),
        ["layout"] = _layout.DeepClone(),
    };

    public string ToJson() => ToJsonObject().ToJsonString();

    /// <summary>
    /// A div and the script that draws it, using window.Plotly. In a notebook kernel (VS Code, Jupyter, the lab's
    /// runner) the first figure of the session also carries plotly.min.js itself, so charts draw offline and the
    /// runner's HTML report needs no second copy. Where no figure carried it (a page built by hand), plotly is
    /// fetched from its CDN as a last resort.
    /// </summary>
    public string ToHtml() => ToHtml(BrowserAsset.Plotly.InlineOnceInKernel());

    private string ToHtml(string library)
    {
        string id = "fig-" + Guid.NewGuid().ToString("N")[..12];
        string json = ToJson().Replace("</", "<\\/", StringComparison.Ordinal);
        return library + $"<div id=\"{id}\" style=\"width:100%;min-height:420px\"></div>\n<script>(function(){{" +
               $"var fig={json};" +
               $"var draw=function(){{Plotly.newPlot('{id}',fig.data,fig.layout,{{responsive:true}});}};" +
               "if(window.Plotly){draw();}else{var s=document.createElement('script');" +
               "s.src='https://cdn.plot.ly/plotly-2.35.2.min.js';s.onload=draw;" +
               "document.head.appendChild(s);}})();</script>";
    }

    public string ToText() =>
        $"Figure: {_traces.Count} trace(s) " +
        $"[{string.Join(", ", _traces.Select(t => t["type"]?.GetValue<string>() ?? "?"))}]" +
        (_layout["title"]?["text"] is JsonNode t ? $" \"{t.GetValue<string>()}\"" : "");

    /// <summary>A standalone page with plotly.min.js inlined (works offline). Atomic write.</summary>
    public void SaveHtml(string path)
    {
        string page = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" +
                      WebUtility.HtmlEncode(_layout["title"]?["text"]?.GetValue<string>() ?? "figure") +
                      "</title>\n<script>" +
                      File.ReadAllText(BrowserAsset.Plotly.Path()) + "</script></head><body>\n" + ToHtml("") +
                      "\n</body></html>\n";
        Torch.Serialization.AtomicFile.WriteAllText(path, page);
    }

    /// <summary>
    /// Renders the figure to a PNG with headless Chromium (Debian's chromium, installed by setup.sh). Optional:
    /// throws a clear error when Chromium is absent.
    /// </summary>
    public void SavePng(string path, int width = 900, int height = 500)
    {
        string html = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"lr-figure-{Guid.NewGuid():N}.html");
        try
        {
            Size(width, height).SaveHtml(html);
            HeadlessChromium.Run($"--screenshot={System.IO.Path.GetFullPath(path)} --window-size={width},{height} " +
                $"file://{html}");
            if (!File.Exists(path)) throw new IOException($"chromium wrote no screenshot to {path}");
        }
        finally { File.Delete(html); }
    }

    public override string ToString() => ToText();
}

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
    /// Adds every trace of another figure (e.g. one from <see cref="Charts"/>) to the subplot at (row, col), with
    /// the settings of its x and y axes (titles, ticks), which go to that subplot's axes.
    /// </summary>
    public Figure Add(Figure other, int row = 1, int col = 1)
    {
        foreach (var trace in other.Traces) Add((JsonObject)trace.DeepClone(), row, col);
        string suffix = AxisSuffix(row, col);
        foreach (var axis in new[] { "xaxis", "yaxis" })
            if (other._layout[axis] is JsonObject settings)
                foreach (var (field, value) in settings) Axis(axis + suffix)[field] = value?.DeepClone();
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

    private string ToHtml(string library, string config = "{responsive:true}")
    {
        var (id, json) = (NewDivId(), ScriptJson());
        return library + $"<div id=\"{id}\" style=\"width:100%;min-height:420px\"></div>\n<script>(function(){{" +
               $"var fig={json};" +
               $"var draw=function(){{Plotly.newPlot('{id}',fig.data,fig.layout,{config});}};" +
               "if(window.Plotly){draw();}else{var s=document.createElement('script');" +
               "s.src='https://cdn.plot.ly/plotly-2.35.2.min.js';s.onload=draw;" +
               "document.head.appendChild(s);}})();</script>";
    }

    /// <summary>
    /// The figure's HTML for a notebook saved with its outputs (<c>lab publish</c>): a div that takes no room and a
    /// script that draws only where plotly.js is already on the page (a live session, the HTML report), so a viewer
    /// that runs no scripts, or has no plotly.js, shows the static image saved beside it instead.
    /// </summary>
    public string ToHtmlWhereLoaded()
    {
        var (id, json) = (NewDivId(), ScriptJson());
        return $"<div id=\"{id}\" style=\"width:100%\"></div>\n<script>(function(){{var fig={json};" +
               $"if(window.Plotly){{Plotly.newPlot('{id}',fig.data,fig.layout,{{responsive:true}});}}}})();</script>";
    }

    private static string NewDivId() => "fig-" + Guid.NewGuid().ToString("N")[..12];

    // The figure's JSON as a script literal ("</" escaped so that no string in it can close the script element).
    private string ScriptJson() => ToJson().Replace("</", "<\\/", StringComparison.Ordinal);

    /// <summary>A figure from plotly's JSON (an object with data and layout).</summary>
    public static Figure FromJson(JsonObject figure)
    {
        var result = new Figure();
        foreach (var trace in figure["data"] as JsonArray ?? new JsonArray())
            if (trace is JsonObject t) result._traces.Add((JsonObject)t.DeepClone());
        foreach (var (field, value) in figure["layout"] as JsonObject ?? new JsonObject())
            result._layout[field] = value?.DeepClone();
        return result;
    }

    /// <summary>Every figure drawn by an HTML output of <see cref="ToHtml()"/> or <see cref="ToHtmlWhereLoaded"/>,
    /// in order.</summary>
    public static IReadOnlyList<Figure> InHtml(string html)
    {
        const string start = "var fig=";
        var figures = new List<Figure>();
        for (int at = html.IndexOf(start, StringComparison.Ordinal); at >= 0;
             at = html.IndexOf(start, at + 1, StringComparison.Ordinal))
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(html[(at + start.Length)..]);
            if (bytes.Length == 0 || bytes[0] != (byte)'{') continue;          // the words, not a figure's script
            var reader = new Utf8JsonReader(bytes, isFinalBlock: false, state: default);
            if (!reader.Read() || !reader.TrySkip()) continue;
            var json = JsonNode.Parse(bytes.AsSpan(0, (int)reader.BytesConsumed));
            if (json is JsonObject figure) figures.Add(FromJson(figure));
            at += System.Text.Encoding.UTF8.GetCharCount(bytes, 0, (int)reader.BytesConsumed);   // past its JSON
        }
        return figures;
    }

    /// <summary>The size set with <see cref="Size"/>, else <paramref name="width"/> x <paramref name="height"/>.
    /// </summary>
    public (int Width, int Height) SizeOr(int width, int height) =>
        (_layout["width"] is JsonValue w && w.TryGetValue(out int ww) ? ww : width,
         _layout["height"] is JsonValue h && h.TryGetValue(out int hh) ? hh : height);

    public string ToText() =>
        $"Figure: {_traces.Count} trace(s) " +
        $"[{string.Join(", ", _traces.Select(t => t["type"]?.GetValue<string>() ?? "?"))}]" +
        (_layout["title"]?["text"] is JsonNode t ? $" \"{t.GetValue<string>()}\"" : "");

    /// <summary>A standalone page with plotly.min.js inlined (works offline). Atomic write.</summary>
    public void SaveHtml(string path) => Torch.Serialization.AtomicFile.WriteAllText(path, Page("", ToHtml("")));

    private string Page(string style, string body) =>
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" +
        WebUtility.HtmlEncode(_layout["title"]?["text"]?.GetValue<string>() ?? "figure") + "</title>\n<style>" + style +
        "</style><script>" + File.ReadAllText(BrowserAsset.Plotly.Path()) + "</script></head><body>\n" + body +
        "\n</body></html>\n";

    /// <summary>
    /// Renders the figure to a PNG of <paramref name="width"/> x <paramref name="height"/> pixels with headless
    /// Chromium (Debian's chromium, installed by setup.sh): the chart alone, without plotly's tool bar. Optional:
    /// throws a clear error when Chromium is absent.
    /// </summary>
    public void SavePng(string path, int width = 900, int height = 500)
    {
        string html = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"lr-figure-{Guid.NewGuid():N}.html");
        try
        {
            var sized = FromJson(ToJsonObject()).Size(width, height);
            Torch.Serialization.AtomicFile.WriteAllText(html,
                Page("body{margin:0;overflow:hidden}", sized.ToHtml("", "{staticPlot:true}")));
            HeadlessChromium.Run($"--screenshot={System.IO.Path.GetFullPath(path)} --window-size={width},{height} " +
                $"file://{html}");
            if (!File.Exists(path)) throw new IOException($"chromium wrote no screenshot to {path}");
        }
        finally { File.Delete(html); }
    }

    public override string ToString() => ToText();
}

using System.Text.Json.Nodes;
using LatentRules.Analysis;
using LatentRules.Tables;
using Microsoft.Data.Analysis;

namespace LatentRules.Plots;

/// <summary>Ready-made figures for the lab's common charts. Each returns a Figure you can title and extend.</summary>
public static class Charts
{
    private static JsonArray Array<T>(IEnumerable<T> values) =>
        new(values.Select(v => JsonValue.Create(v) as JsonNode).ToArray());

    /// <summary>
    /// 2-D scatter; with <paramref name="category"/>, one trace (legend entry, colour) per category value, in
    /// order of first appearance. <paramref name="hover"/> adds a hover text per point.
    /// </summary>
    public static Figure Scatter(IReadOnlyList<double> x, IReadOnlyList<double> y,
        IReadOnlyList<string>? category = null,
        IReadOnlyList<string>? hover = null, string mode = "markers")
    {
        Check(x.Count, y.Count, "x", "y");
        if (category is not null) Check(x.Count, category.Count, "x", "category");
        if (hover is not null) Check(x.Count, hover.Count, "x", "hover");
        var fig = new Figure();
        foreach (var (name, rows) in Groups(x.Count, category))
        {
            var trace = new JsonObject
            {
                ["type"] = "scatter", ["mode"] = mode, ["name"] = name,
                ["x"] = Array(rows.Select(i => x[i])), ["y"] = Array(rows.Select(i => y[i])),
            };
            if (hover is not null) trace["text"] = Array(rows.Select(i => hover[i]));
            fig.Add(trace);
        }
        return fig;
    }

    /// <summary>
    /// Points given as rows of a matrix (the first two columns: x and y), e.g. a PCA or t-SNE embedding.
    /// </summary>
    public static Figure Scatter(double[,] points, IReadOnlyList<string>? category = null,
        IReadOnlyList<string>? hover = null)
    {
        if (points.GetLength(1) < 2)
            throw new ArgumentException($"points need at least 2 columns, got {points.GetLength(1)}");
        return Scatter(Points.Column(points, 0), Points.Column(points, 1), category, hover);
    }

    /// <summary>
    /// Lines of a table's numeric columns <paramref name="ys"/> against its column <paramref name="x"/>.
    /// </summary>
    public static Figure Line(DataFrame frame, string x, params string[] ys) =>
        Line(frame.Numbers(x), ys.ToDictionary(y => y, y => (IReadOnlyList<double>)frame.Numbers(y)));

    /// <summary>
    /// Bars of a table's numeric columns <paramref name="ys"/>, one group per value of its column
    /// <paramref name="category"/>.
    /// </summary>
    public static Figure Bar(DataFrame frame, string category, params string[] ys) =>
        Bar(frame.Strings(category).Select(s => s ?? "").ToList(),
            ys.ToDictionary(y => y, y => (IReadOnlyList<double>)frame.Numbers(y)));

    /// <summary>Several named lines over a shared x.</summary>
    public static Figure Line(IReadOnlyList<double> x, IReadOnlyDictionary<string, IReadOnlyList<double>> series)
    {
        var fig = new Figure();
        foreach (var (name, ys) in series)
        {
            Check(x.Count, ys.Count, "x", $"series '{name}'");
            fig.Add(new JsonObject
            {
                ["type"] = "scatter", ["mode"] = "lines", ["name"] = name, ["x"] = Array(x),
                ["y"] = Array(ys)
            });
        }
        return fig;
    }

    /// <summary>Bars per category; several series are grouped side by side.</summary>
    public static Figure Bar(IReadOnlyList<string> categories,
        IReadOnlyDictionary<string, IReadOnlyList<double>> series)
    {
        var fig = new Figure();
        foreach (var (name, values) in series)
        {
            Check(categories.Count, values.Count, "categories", $"series '{name}'");
            fig.Add(
                new JsonObject { ["type"] = "bar", ["name"] = name, ["x"] = Array(categories), ["y"] = Array(values) });
        }
        return fig.Layout("barmode", "group");
    }

    /// <summary>
    /// Bars with intervals as error bars: per series one (mean, low, high) per category, grouped side by side. A NaN
    /// bound (e.g. one seed: no interval) draws no error bar.
    /// </summary>
    public static Figure BarWithIntervals(IReadOnlyList<string> categories,
        IReadOnlyDictionary<string, IReadOnlyList<(double Mean, double Low, double High)>> series)
    {
        var fig = new Figure();
        JsonArray Of(IEnumerable<double> values) =>
            new(values.Select(v => double.IsFinite(v) ? JsonValue.Create(v) : null).ToArray<JsonNode?>());
        foreach (var (name, values) in series)
        {
            Check(categories.Count, values.Count, "categories", $"series '{name}'");
            fig.Add(new JsonObject
            {
                ["type"] = "bar", ["name"] = name, ["x"] = Array(categories), ["y"] = Of(values.Select(v => v.Mean)),
                ["error_y"] = new JsonObject
                {
                    ["type"] = "data", ["symmetric"] = false, ["visible"] = true,
                    ["array"] = Of(values.Select(v => v.High - v.Mean)),
                    ["arrayminus"] = Of(values.Select(v => v.Mean - v.Low)),
                },
            });
        }
        return fig.Layout("barmode", "group");
    }

    /// <summary>Histogram of values, one overlaid trace per group.</summary>
    public static Figure Histogram(IReadOnlyDictionary<string, IReadOnlyList<double>> groups, int bins = 30)
    {
        var fig = new Figure();
        foreach (var (name, values) in groups)
            fig.Add(new JsonObject
            {
                ["type"] = "histogram", ["name"] = name, ["x"] = Array(values), ["nbinsx"] = bins,
                ["opacity"] = 0.7
            });
        return fig.Layout("barmode", "overlay");
    }

    /// <summary>
    /// Heatmap of z[row][col] with row and column labels. Labels may repeat (a matrix sorted by rule): then every row
    /// and column keeps its own cell and the axis names each run of equal labels once, at its middle (plotly would
    /// merge equal category labels into one cell). <paramref name="range"/> fixes the colour scale's ends, so that
    /// two heatmaps side by side share one scale.
    /// </summary>
    public static Figure Heatmap(double[,] z, IReadOnlyList<string>? xLabels = null,
        IReadOnlyList<string>? yLabels = null, string colorscale = "Viridis", (double Min, double Max)? range = null)
    {
        int rows = z.GetLength(0), cols = z.GetLength(1);
        if (xLabels is not null) Check(cols, xLabels.Count, "columns", "xLabels");
        if (yLabels is not null) Check(rows, yLabels.Count, "rows", "yLabels");
        var matrix = new JsonArray();
        for (int r = 0; r < rows; r++) matrix.Add(Array(Enumerable.Range(0, cols).Select(c => z[r, c])));
        var trace = new JsonObject { ["type"] = "heatmap", ["z"] = matrix, ["colorscale"] = colorscale };
        if (range is { } scale) { trace["zmin"] = scale.Min; trace["zmax"] = scale.Max; }
        var fig = new Figure();
        foreach (var (axis, labels) in new[] { ("x", xLabels), ("y", yLabels) })
        {
            if (labels is null) continue;
            if (labels.Distinct().Count() == labels.Count) { trace[axis] = Array(labels); continue; }
            var runs = LabelRuns(labels);
            fig.Layout(axis + "axis", new JsonObject
            {
                ["tickmode"] = "array",
                ["tickvals"] = Array(runs.Select(run => run.First + (run.Count - 1) / 2.0)),
                ["ticktext"] = Array(runs.Select(run => run.Label)),
            });
        }
        return fig.Add(trace);
    }

    /// <summary>Consecutive runs of equal labels: each run's label, first index and length.</summary>
    private static List<(string Label, int First, int Count)> LabelRuns(IReadOnlyList<string> labels)
    {
        var runs = new List<(string Label, int First, int Count)>();
        for (int i = 0; i < labels.Count; i++)
            if (runs.Count > 0 && runs[^1].Label == labels[i]) runs[^1] = runs[^1] with { Count = runs[^1].Count + 1 };
            else runs.Add((labels[i], i, 1));
        return runs;
    }

    /// <summary>One box per group.</summary>
    public static Figure Box(IReadOnlyDictionary<string, IReadOnlyList<double>> groups)
    {
        var fig = new Figure();
        foreach (var (name, values) in groups)
            fig.Add(new JsonObject { ["type"] = "box", ["name"] = name, ["y"] = Array(values) });
        return fig;
    }

    private static IEnumerable<(string name, List<int> rows)> Groups(int n, IReadOnlyList<string>? category)
    {
        if (category is null) { yield return ("", Enumerable.Range(0, n).ToList()); yield break; }
        var order = new List<string>();
        var rows = new Dictionary<string, List<int>>();
        for (int i = 0; i < n; i++)
        {
            if (!rows.TryGetValue(category[i], out var list))
            {
                rows[category[i]] = list = new List<int>();
                order.Add(category[i]);
            }
            list.Add(i);
        }
        foreach (var name in order) yield return (name, rows[name]);
    }

    private static void Check(int expected, int actual, string what, string other)
    {
        if (expected != actual) throw new ArgumentException($"{other} has {actual} values but {what} has {expected}");
    }
}

using System.Text.RegularExpressions;
using LatentRules.Plots;

namespace LatentRules.Tests.Plots;

public sealed class FigureTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lr-plots-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ScatterMakesOneTracePerCategoryInOrderOfAppearance()
    {
        var fig = Charts.Scatter(new double[] { 1, 2, 3, 4 }, new double[] { 5, 6, 7, 8 }, new[] { "b", "a", "b", "c" },
            hover: new[] { "p", "q", "r", "s" });
        Assert.Equal(new[] { "b", "a", "c" }, fig.Traces.Select(t => t["name"]!.GetValue<string>()));
        Assert.Equal("[1,3]", fig.Traces[0]["x"]!.ToJsonString());
        Assert.Equal("[\"p\",\"r\"]", fig.Traces[0]["text"]!.ToJsonString());
        Assert.Contains("Figure: 3 trace(s)", fig.ToText());
        Assert.Throws<ArgumentException>(() => Charts.Scatter(new double[] { 1 }, new double[] { 1, 2 }));
    }

    [Fact]
    public void AFigureAddsAnotherFiguresTracesToASubplotAndChartsReadTables()
    {
        var table = LatentRules.Tables.Frames.FromRecords(
            new[] { new { step = 1, loss = 2.5, kl = 0.5 }, new { step = 2, loss = 1.5, kl = 0.25 } });
        var lines = Charts.Line(table, "step", "loss", "kl");
        var fig = new Figure(1, 2).Add(lines, 1, 2)
            .Add(Charts.Scatter(new double[,] { { 1, 2 }, { 3, 4 } }, new[] { "a", "b" }), 1, 1);
        Assert.Equal(4, fig.Traces.Count);
        Assert.Equal("x2", fig.Traces[0]["xaxis"]!.GetValue<string>());
        Assert.Equal("[1,2]", fig.Traces[0]["x"]!.ToJsonString());
        Assert.Equal("[0.5,0.25]", fig.Traces[1]["y"]!.ToJsonString());
        Assert.Null(fig.Traces[2]["xaxis"]);                                   // subplot (1, 1) uses the first axes
        Assert.Equal("[3]", fig.Traces[3]["x"]!.ToJsonString());                // category b: the second row's x
        Assert.Null(lines.Traces[0]["xaxis"]);                                 // the source figure is unchanged
    }

    [Fact]
    public void LayoutCarriesTitlesSubplotsAndGrouping()
    {
        var fig = new Figure(rows: 1, cols: 2).Title("Two").Axes("step", "loss").Axes("x2", "y2", row: 1, col: 2);
        fig.Add(new System.Text.Json.Nodes.JsonObject
        {
            ["type"] = "scatter",
            ["x"] = new System.Text.Json.Nodes.JsonArray(1)
        }, 1, 2);
        string json = fig.ToJson();
        Assert.Contains("\"grid\":{\"rows\":1,\"columns\":2", json);
        Assert.Contains("\"xaxis2\":{\"title\":{\"text\":\"x2\"}}", json);
        Assert.Contains("\"xaxis\":\"x2\"", json);
        Assert.Throws<ArgumentOutOfRangeException>(() => fig.Axes("a", row: 2));
        var bars = Charts.Bar(new[] { "ffn", "attn" },
            new Dictionary<string, IReadOnlyList<double>>
            {
                ["l0"] = new double[] { 1, 2 },
                ["l1"] = new double[] { 3, 4 }
            });
        Assert.Contains("\"barmode\":\"group\"", bars.ToJson());
        var heat = Charts.Heatmap(new double[,] { { 1, 2 }, { 3, 4 } }, new[] { "a", "b" }, new[] { "r1", "r2" });
        Assert.Contains("\"z\":[[1,2],[3,4]]", heat.ToJson());
    }

    [Fact]
    public void AHeatmapSortedByRuleKeepsEveryCellAndNamesEachBlockOnce()
    {
        // Labels a a b b b: plotly would merge equal category labels, so the cells sit at 0..4 and the ticks name
        // each block at its middle (0.5 and 3); distinct labels stay categories.
        string[] rules = { "a", "a", "b", "b", "b" };
        var z = new double[5, 5];
        var heat = Charts.Heatmap(z, rules, rules, "RdBu", range: (-1, 1));
        var json = heat.ToJsonObject();
        var trace = json["data"]![0]!;
        Assert.Null(trace["x"]);
        Assert.Equal(-1, trace["zmin"]!.GetValue<double>());
        Assert.Equal(1, trace["zmax"]!.GetValue<double>());
        Assert.Equal("[0.5,3]", json["layout"]!["xaxis"]!["tickvals"]!.ToJsonString());
        Assert.Equal("[\"a\",\"b\"]", json["layout"]!["yaxis"]!["ticktext"]!.ToJsonString());
        // side by side: the ticks go to the second subplot's axes
        var pair = new Figure(1, 2).Add(heat, 1, 1).Add(heat, 1, 2).ToJsonObject();
        Assert.Equal("[0.5,3]", pair["layout"]!["xaxis2"]!["tickvals"]!.ToJsonString());
        Assert.Equal("[\"a\",\"b\"]", pair["layout"]!["yaxis"]!["ticktext"]!.ToJsonString());
        var distinct = Charts.Heatmap(new double[2, 2], new[] { "p", "q" }).ToJsonObject();
        Assert.Equal("[\"p\",\"q\"]", distinct["data"]![0]!["x"]!.ToJsonString());
        Assert.Null(distinct["layout"]!["xaxis"]);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void HeadlessChromiumActuallyDrawsEveryTrace()
    {
        // Three scatter categories, two line series and three boxes: plotly must create an SVG trace group for each.
        var scatter = Charts.Scatter(new double[] { 1, 2, 3, 4, 5, 6 }, new double[] { 1, 4, 9, 16, 25, 36 },
            new[] { "a", "b", "c", "a", "b", "c" });
        var lines = Charts.Line(new double[] { 0, 1, 2 },
            new Dictionary<string, IReadOnlyList<double>>
            {
                ["train"] = new double[] { 3, 2, 1 },
                ["valid"] = new double[] { 3, 2.5, 2 }
            });
        var boxes = Charts.Box(new Dictionary<string, IReadOnlyList<double>>
        {
            ["x"] = new double[] { 1, 2, 3 },
            ["y"] = new double[] { 2, 3, 4 }, ["z"] = new double[] { 0, 1, 5 }
        });
        foreach (var (fig, traces) in new[] { (scatter, 3), (lines, 2), (boxes, 3) })
        {
            string path = Path.Combine(_dir, $"fig{traces}-{Guid.NewGuid():N}.html");
            fig.SaveHtml(path);
            string dom = HeadlessChromium.Run($"--dump-dom file://{path}");
            Assert.Contains("class=\"main-svg\"", dom);
            Assert.Equal(traces, Regex.Matches(dom, "<g class=\"trace[ \"]").Count);
        }
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void SavesPngThroughChromium()
    {
        string png = Path.Combine(_dir, "fig.png");
        Charts.Scatter(new double[] { 1, 2 }, new double[] { 3, 4 }).Title("png").SavePng(png, 400, 300);
        var bytes = File.ReadAllBytes(png);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
    }
}

using LatentRules.Notebooks;
using LatentRules.Progress;
using LatentRules.Tables;
using Microsoft.Data.Analysis;

namespace LatentRules.Tests.Tables;

public sealed class FrameTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lr-tables-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private sealed record Run(string Mode, int Seed, double Accuracy, bool? Kept);

    private static DataFrame Runs() => Frames.FromRecords(new[]
    {
        new Run("query", 1, 0.9, true), new Run("kv", 1, 0.7, null), new Run("query", 2, 0.8, false),
        new Run("kv", 2, 0.5, true),
        new Run("memory", 1, 0.6, true),
    });

    [Fact]
    public void RecordsBecomeTypedColumnsThatDataFrameComputesWith()
    {
        var t = Runs();
        Assert.Equal(new[] { typeof(string), typeof(long), typeof(double), typeof(bool) },
            t.Columns.Select(c => c.DataType));
        Assert.Equal(1, t.Columns["Kept"].NullCount);
        var means = t.GroupBy("Mode").Mean("Accuracy").OrderBy("Mode");
        // kv (0.7+0.5)/2, memory, query
        Assert.Equal(new[] { 0.6, 0.6, 0.85 }, means.Numbers("Accuracy").Select(v => Math.Round(v, 12)));
        Assert.Equal(new[] { 0.9, 0.7, 0.6 },
            t.Filter(t["Seed"].ElementwiseEquals(1L)).OrderByDescending("Accuracy").Numbers("Accuracy"));
        Assert.Equal(new[] { "query", "kv", "query", "kv", "memory" }, t.Strings("Mode"));
        Assert.Contains("holds String values, not numbers",
            Assert.Throws<ArgumentException>(() => t.Numbers("Mode")).Message);
        Assert.Contains("no column 'nope'; the columns are Mode, Seed, Accuracy, Kept",
            Assert.Throws<ArgumentException>(() => t.Numbers("nope")).Message);
        Assert.Contains("row 2 has 1 values",
            Assert.Throws<ArgumentException>(() =>
                Frames.FromRows(new[] { "a", "b" }, new[] { new object?[] { 1, 2 }, new object?[] { 3 } })).Message);
        Assert.Contains("column 'a' appears twice",
            Assert.Throws<ArgumentException>(() => Frames.FromRows(new[] { "a", "a" }, Array.Empty<object?[]>()))
                .Message);
    }

    [Fact]
    public void RendersAsMarkdownAndHtml()
    {
        var t = Runs();
        Assert.StartsWith("| Mode | Seed | Accuracy | Kept |\n|---|---:|---:|---|\n| query | 1 | 0.9 | true |\n" +
            "| kv | 1 | 0.7 |  |\n", t.ToMarkdown());
        Assert.Contains("<tr><td>query</td><td style=\"text-align:right\">1</td><td " +
            "style=\"text-align:right\">0.9</td><td>true</td></tr>", t.ToHtml());
        var many = Frames.FromRecords(Enumerable.Range(0, FrameView.MaxRows + 5).Select(i => new { i }));
        Assert.Equal(FrameView.MaxRows, System.Text.RegularExpressions.Regex.Matches(many.ToHtml(), "<tr><td").Count);
        Assert.Contains("5 more rows (105 in all)", many.ToHtml());
    }

    [Fact]
    public void LatexValuesMakeAFormulaColumnThatStaysPlainTextInFiles()
    {
        var t = Frames.FromRecords(new[] { new { rule = "d", result = new Latex("\\frac{a}{b^{2}}") },
            new { rule = "i", result = new Latex("x < y") } });
        Assert.IsType<LatexColumn>(t.Columns["result"]);
        Assert.Equal(new[] { "\\frac{a}{b^{2}}", "x < y" }, t.Strings("result"));
        string html = t.ToHtml();
        Assert.Contains("<td><span class=\"lr-tex\" data-tex=\"\\frac{a}{b^{2}}\" " +
            "title=\"\\frac{a}{b^{2}}\">\\frac{a}{b^{2}}</span></td>", html);
        Assert.Contains("data-tex=\"x &lt; y\"", html);                            // the source is escaped in the page
        // one typesetting script per table
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, "katex.render"));
        Assert.Contains("| d | \\frac{a}{b^{2}} |", t.ToMarkdown());
        string path = Path.Combine(_dir, "latex.csv");
        t.WriteCsv(path);
        Assert.Equal("rule,result\r\nd,\\frac{a}{b^{2}}\r\ni,x < y\r\n", File.ReadAllText(path));
        // not all formulas: plain text
        var mixed = Frames.FromRecords(new object[] { new Latex("a"), "b" }.Select(v => new { v }));
        Assert.IsType<StringDataFrameColumn>(mixed.Columns["v"]);
        Assert.Equal(new[] { "a", "b" }, mixed.Strings("v"));
    }

    [Fact]
    public void CsvRoundTripKeepsQuotingAndTypes()
    {
        var t = Frames.FromRows(new[] { "text", "n", "x", "flag", "missing" },
            new[] { new object?[] { "a, \"quoted\"\nline", 3, 2.5, true, null } });
        string path = Path.Combine(_dir, "t.csv");
        t.WriteCsv(path);
        Assert.StartsWith("text,n,x,flag,missing\r\n\"a, \"\"quoted\"\"\nline\",3,2.5,true,\r\n",
            File.ReadAllText(path));
        var back = FrameFiles.ReadCsv(path);
        Assert.Equal("a, \"quoted\"\nline", back["text"][0]);
        Assert.Equal(3L, back["n"][0]);
        Assert.Equal(2.5, back["x"][0]);
        Assert.Equal(true, back["flag"][0]);
        Assert.Null(back["missing"][0]);
        string jsonl = Path.Combine(_dir, "t.jsonl");
        t.WriteJsonl(jsonl);
        Assert.Equal("{\"text\":\"a, \\u0022quoted\\u0022\\nline\",\"n\":3,\"x\":2.5,\"flag\":true,\"missing\":null}\n",
            File.ReadAllText(jsonl));
        Assert.Equal(2.5, FrameFiles.ReadJsonl(jsonl)["x"][0]);
    }

    [Fact]
    public void MalformedCsvAndJsonlNameTheLine()
    {
        string csv = Path.Combine(_dir, "bad.csv");
        File.WriteAllText(csv, "a,b\n1,2\n3\n");
        Assert.Contains("bad.csv:3: 1 fields but the header has 2",
            Assert.Throws<InvalidDataException>(() => FrameFiles.ReadCsv(csv)).Message);
        File.WriteAllText(csv, "a,b\n\"open,2\n");
        Assert.Contains("bad.csv:2: unterminated quoted field",
            Assert.Throws<InvalidDataException>(() => FrameFiles.ReadCsv(csv)).Message);
        string jsonl = Path.Combine(_dir, "bad.jsonl");
        File.WriteAllText(jsonl, "{\"a\": 1}\n{oops}\n");
        Assert.Contains("bad.jsonl:2: invalid JSON",
            Assert.Throws<InvalidDataException>(() => FrameFiles.ReadJsonl(jsonl)).Message);
    }

    [Fact]
    public void ProgressLinesShowRateEtaAndLossAndStayShortWhenRedirected()
    {
        var elapsed = TimeSpan.Zero;
        var output = new StringWriter();
        using (var p = new ProgressReporter(100, "epoch 1", output, () => elapsed))
        {
            for (int k = 0; k < 100; k++)
            {
                elapsed += TimeSpan.FromSeconds(0.5);
                p.Step(examples: 32, loss: 1.0 / (k + 1));
                if (k == 49)
                    Assert.Equal("epoch 1  [##########..........]  50/100  2.0 steps/s  64 examples/s  " +
                        "ETA 0:25  loss 0.0200", p.Format(elapsed));
            }
        }
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // the first step, then one per 10% when redirected
        Assert.Equal(11, lines.Length);
        Assert.EndsWith("100/100  2.0 steps/s  64 examples/s  elapsed 0:50  loss 0.0100", lines[^1]);
    }
}

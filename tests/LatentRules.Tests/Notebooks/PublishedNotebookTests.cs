using System.Text.Json.Nodes;
using LatentRules.Lab.Notebooks;
using LatentRules.Notebooks;
using LatentRules.Plots;
using LatentRules.Tests.Support;

namespace LatentRules.Tests.Notebooks;

/// <summary>
/// Notebooks kept with their outputs (`lab publish`, issue 23): the published form (no inlined library, a PNG after
/// each chart, the code hash), the checks that refuse a stale, failed, oversized or image-less copy, and the committed
/// notebooks themselves passing those checks.
/// </summary>
public sealed class PublishedNotebookTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lr-publish-test-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly byte[] FakePng = { 0x89, (byte)'P', (byte)'N', (byte)'G', 1, 2, 3 };

    private static Figure Chart() =>
        Charts.Scatter(new double[] { 1, 2 }, new double[] { 3, 4 }).Title("a </script> title with var fig= in it");

    // A notebook as the runner leaves it: a parameters cell, the injected one, a cell whose figure carries plotly.js
    // (the first figure of a kernel session), a cell with a formula carrying KaTeX and a plain result.
    private NotebookDocument Executed()
    {
        string path = Path.Combine(_dir, "nb.ipynb");
        new NotebookBuilder().Parameters("string trialsFile = \"../data/runs/try-this.csv\";\nint n = 2;")
            .Code("Chart()").Code("formula").Code("1 + 1").Save(path);
        var notebook = NotebookDocument.Load(path);
        ParameterInjection.Inject(notebook, new[] { KeyValuePair.Create("n", "3") });
        string[] html =
        {
            "", "", BrowserAsset.Plotly.Inline() + Chart().ToHtml(),
            "<span>x</span>" + BrowserAsset.Katex.Inline() + "<script>typeset()</script>", "2",
        };
        for (int k = 0; k < notebook.Cells.Count; k++)
        {
            var cell = (JsonObject)notebook.Cells[k]!;
            cell["execution_count"] = k + 1;
            cell["outputs"] = html[k] == "" ? new JsonArray() : new JsonArray(new JsonObject
            {
                ["output_type"] = "display_data", ["metadata"] = new JsonObject(),
                ["data"] = new JsonObject { ["text/html"] = html[k] },
            });
        }
        return notebook;
    }

    private static JsonArray Outputs(NotebookDocument notebook, int cell) =>
        (JsonArray)notebook.Cells[cell]!["outputs"]!;

    [Fact]
    public void APublishedCopyDropsTheInjectedCellAndTheLibrariesAndPutsAPngAfterTheChart()
    {
        var notebook = Executed();
        int before = notebook.Cells.Count;
        Assert.Equal(1, PublishedNotebook.Finish(notebook, _ => FakePng));
        Assert.Equal(before - 1, notebook.Cells.Count);
        Assert.Equal(new[] { 1, 2, 3, 4 },
            notebook.Cells.Select(c => c!["execution_count"]!.GetValue<int>()));        // renumbered, no gap
        var chart = Outputs(notebook, 1);
        Assert.Equal(2, chart.Count);
        string html = chart[0]!["data"]!["text/html"]!.GetValue<string>();
        Assert.DoesNotContain(BrowserAsset.Plotly.InlineMarker, html);
        Assert.DoesNotContain("cdn.plot.ly", html);                        // draws only where plotly.js is loaded
        Assert.Equal(Chart().ToJson(), Assert.Single(Figure.InHtml(html)).ToJson());
        var image = (JsonObject)chart[1]!;
        Assert.True(PublishedNotebook.IsStaticCopy(image));
        Assert.Equal(Convert.ToBase64String(FakePng), image["data"]!["image/png"]!.GetValue<string>());
        Assert.Equal("<span>x</span><script>typeset()</script>",
            Outputs(notebook, 2)[0]!["data"]!["text/html"]!.GetValue<string>());
        Assert.Equal(PublishedNotebook.CodeHash(notebook),
            notebook.Root["metadata"]!["latentrules"]!["published_code_sha256"]!.GetValue<string>());
        Assert.Empty(PublishedNotebook.Problems(notebook));
    }

    [Fact]
    public void TheChecksNameEachWayACopyCanBeWrong()
    {
        var notebook = Executed();
        Assert.Contains("nb.ipynb: no outputs published (run `lab publish nb.ipynb`)",
            PublishedNotebook.Problems(notebook));
        PublishedNotebook.Finish(notebook, _ => FakePng);

        var edited = (JsonObject)notebook.Root.DeepClone();
        edited["cells"]![3]!["source"] = "1 + 2";
        Assert.Contains("nb.ipynb: its code changed since its outputs were published (run `lab publish nb.ipynb`)",
            Problems(edited));

        var failed = (JsonObject)notebook.Root.DeepClone();
        ((JsonArray)failed["cells"]![3]!["outputs"]!).Add(new JsonObject
        {
            ["output_type"] = "error", ["ename"] = "Boom", ["evalue"] = "it broke", ["traceback"] = new JsonArray(),
        });
        Assert.Contains("nb.ipynb: cell 4 has an error output (Boom: it broke)", Problems(failed));

        var noImage = (JsonObject)notebook.Root.DeepClone();
        ((JsonArray)noImage["cells"]![1]!["outputs"]!).RemoveAt(1);
        Assert.Equal(new[] { "nb.ipynb: cell 2 has a chart without its static image" }, Problems(noImage));

        var notRun = (JsonObject)notebook.Root.DeepClone();
        notRun["cells"]![2]!["execution_count"] = null;
        Assert.Equal(new[] { "nb.ipynb: cell 3 was not run" }, Problems(notRun));

        var inlined = (JsonObject)notebook.Root.DeepClone();
        inlined["cells"]![2]!["outputs"]![0]!["data"]!["text/html"] = BrowserAsset.Katex.Inline();
        Assert.Equal(new[] { $"nb.ipynb: cell 3 inlines a browser library ({BrowserAsset.Katex.InlineMarker})" },
            Problems(inlined));

        var big = (JsonObject)notebook.Root.DeepClone();
        big["cells"]![3]!["outputs"]![0]!["data"]!["text/html"] = new string('x', PublishedNotebook.MaxBytes);
        var problem = Assert.Single(Problems(big));
        Assert.Matches(@"^nb\.ipynb: 2,09\d,\d{3} bytes, over the limit of 2,097,152$", problem);
    }

    private List<string> Problems(JsonObject root)
    {
        string path = Path.Combine(_dir, "nb.ipynb");
        File.WriteAllText(path, NotebookJson.Serialize(root));
        return PublishedNotebook.Problems(NotebookDocument.Load(path));
    }

    [Fact]
    public void OnlyTheLibraryCopiesAreCut()
    {
        string html = "a" + BrowserAsset.Katex.Inline() + "b" + BrowserAsset.Katex.Inline() + "c";
        Assert.Equal("abc", BrowserAsset.Katex.WithoutInline(html));
        Assert.Equal("abc", BrowserAsset.Plotly.WithoutInline("abc"));
    }

    [Fact]
    public void RunPlacesGoToTheScratchFolderAndNothingElseDoes()
    {
        string path = Path.Combine(_dir, "p.ipynb");
        new NotebookBuilder().Parameters("string trialsFile = \"../data/runs/try-this.csv\";\n" +
            "string runFolder = \"../data/runs/03/models\";\nstring data = \"../data/examples/x.jsonl\";\nint n = 1;")
            .Save(path);
        var places = PublishedNotebook.FreshRunPlaces(NotebookDocument.Load(path), "/scratch");
        Assert.Equal(new[] { ("trialsFile", "/scratch/try-this.csv"), ("runFolder", "/scratch/03/models") },
            places.Select(p => (p.Key, p.Value)));
    }

    /// <summary>The figures of an output are found however many there are, and what looks like one inside a
    /// string is not counted.</summary>
    [Fact]
    public void FiguresAreReadBackFromTheirHtml()
    {
        var other = Charts.Bar(new[] { "a", "b" },
            new Dictionary<string, IReadOnlyList<double>> { ["n"] = new double[] { 1, 2 } });
        var found = Figure.InHtml(Chart().ToHtml() + "<p>var fig=nothing</p>" + other.ToHtmlWhereLoaded());
        Assert.Equal(new[] { Chart().ToJson(), other.ToJson() }, found.Select(f => f.ToJson()));
        Assert.Equal((900, 500), other.SizeOr(900, 500));
        Assert.Equal((300, 200), other.Size(300, 200).SizeOr(900, 500));
    }

    /// <summary>Every notebook in notebooks/ is kept with the outputs of a complete, error-free run of its current
    /// code, within the size limit (`lab publish` regenerates them).</summary>
    [Theory]
    [MemberData(nameof(RepositoryNotebookTests.Notebooks), MemberType = typeof(RepositoryNotebookTests))]
    public void TheCommittedNotebookCarriesItsOutputs(string name)
    {
        var notebook = NotebookDocument.Load(Path.Combine(RepoPaths.Root, "notebooks", name));
        var problems = PublishedNotebook.Problems(notebook);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>The committed notebooks are valid nbformat 4 with their outputs, as Python's nbformat reads
    /// them.</summary>
    [Trait("Category", "Slow")]
    [Fact]
    public void TheCommittedNotebooksValidateAsNbformat4()
    {
        var paths = Directory.GetFiles(Path.Combine(RepoPaths.Root, "notebooks"), "*.ipynb")
            .Where(p => !Path.GetFileName(p).StartsWith('.'));
        PythonReference.Run("import nbformat\n" + string.Concat(paths.Select(p =>
            $"nbformat.validate(nbformat.read({System.Text.Json.JsonSerializer.Serialize(p)}, as_version=4))\n")));
    }

    /// <summary>The PNG comes from Chromium drawing the chart: a real PNG of the figure's size.</summary>
    [Trait("Category", "Slow")]
    [Fact]
    public void TheStaticImageIsAPngOfTheChartsSize()
    {
        byte[] png = PublishedNotebook.RenderPng(Chart().Size(640, 360));
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        int Big(int at) => (png[at] << 24) | (png[at + 1] << 16) | (png[at + 2] << 8) | png[at + 3];
        Assert.Equal((640, 360), (Big(16), Big(20)));                           // IHDR: width, height
        Assert.True(png.Length > 5000, $"{png.Length} bytes: too small to hold a drawn chart");
    }
}

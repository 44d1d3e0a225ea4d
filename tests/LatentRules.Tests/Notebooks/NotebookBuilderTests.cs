using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LatentRules.Lab.Commands;
using LatentRules.Lab.Notebooks;
using LatentRules.Notebooks;
using LatentRules.Plots;
using LatentRules.Tables;
using LatentRules.Tests.Support;

namespace LatentRules.Tests.Notebooks;

[Collection("torch")]
public sealed class NotebookBuilderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lr-builder-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static NotebookBuilder Sample() => new NotebookBuilder()
        .Markdown("""
            # Title · “quotes” and ünïcode

            Some *text*, a tab:	and "quotes".
            """)
        .Parameters("""
            // Parameters
            int n = 3;          // small
            double rate = 0.5;
            string label = "a";
            """)
        .UseLibrary("LatentRules.Tables", "static TorchSharp.torch")
        .Code("n * 2");

    [Fact]
    public void WritesDotNetInteractiveMetadataExactlyAsJupyterWould()
    {
        string path = Path.Combine(_dir, "sub", "sample.ipynb");
        Sample().Save(path);
        var root = JsonNode.Parse(File.ReadAllText(path))!;
        Assert.Equal(4, root["nbformat"]!.GetValue<int>());
        Assert.Equal(".net-csharp", root["metadata"]!["kernelspec"]!["name"]!.GetValue<string>());
        Assert.Equal("C#", root["metadata"]!["kernelspec"]!["language"]!.GetValue<string>());
        Assert.Equal("csharp", root["metadata"]!["language_info"]!["name"]!.GetValue<string>());
        Assert.Equal("csharp",
            root["metadata"]!["polyglot_notebook"]!["kernelInfo"]!["defaultKernelName"]!.GetValue<string>());
        var cells = (JsonArray)root["cells"]!;
        Assert.Equal(4, cells.Count);
        Assert.Equal("csharp", cells[1]!["metadata"]!["dotnet_interactive"]!["language"]!.GetValue<string>());
        Assert.Equal("csharp", cells[1]!["metadata"]!["polyglot_notebook"]!["kernelName"]!.GetValue<string>());
        Assert.Equal("[\"parameters\"]", cells[1]!["metadata"]!["tags"]!.ToJsonString());
        Assert.Equal(4, cells.Select(c => c!["id"]!.GetValue<string>()).Distinct().Count());
        string library = string.Concat(((JsonArray)cells[2]!["source"]!).Select(l => l!.GetValue<string>()));
        Assert.Equal("#r \"../lib/LatentRules/bin/Debug/net8.0/LatentRules.dll\"\nusing LatentRules.Tables;\n" +
            "using static TorchSharp.torch;", library);
        Assert.Equal(Sample().ToJson(), File.ReadAllText(path));                  // same bytes when regenerated

        // nbformat validates it, and its own writer produces the very same text (indentation, key order, escapes).
        string python = $"""
            import nbformat, sys
            nb = nbformat.read({JsonSerializer.Serialize(path)}, as_version=4)
            nbformat.validate(nb)
            sys.stdout.buffer.write((nbformat.writes(nb) + "\n").encode("utf-8"))
            """;
        Assert.Equal(File.ReadAllText(path), PythonReference.Run(python));
    }

    [Fact]
    public void RefusesWhatTheRunnerCannotRun()
    {
        var nb = new NotebookBuilder().Parameters("int n = 1;");
        Assert.Contains("called twice",
            Assert.Throws<InvalidOperationException>(() => nb.Parameters("int m = 2;")).Message);
        var error = Assert.Throws<ArgumentException>(() =>
            new NotebookBuilder().Parameters("int n = 1;\nvar items = new List<int>();\nTrain();"));
        Assert.Contains("line 3: 'Train();' is not a declaration", error.Message);
        Assert.Contains("'#!fsharp' cells are not C#",
            Assert.Throws<ArgumentException>(() => new NotebookBuilder().Markdown("x").Code("#!fsharp\nlet x = 1"))
                .Message);
        Assert.Equal(1, new NotebookBuilder().Code("#!csharp\n1").CellCount);
    }

    [Fact]
    public void SerializerMatchesPythonJson()
    {
        var node =
            JsonNode.Parse("""{"b":[1,2.5,true,null,{}],"a":"x\u0001\"\\\n\t/<>&é😀","c":[],"A":{"z":1,"y":"w"}}""");
        string ours = NotebookJson.Serialize(node);
        string python = $"""
            import json, sys
            node = json.loads({JsonSerializer.Serialize(node!.ToJsonString())})
            sys.stdout.buffer.write((json.dumps(node, indent=1, sort_keys=True, separators=(",", ": "),
                                                ensure_ascii=False) + "\n").encode("utf-8"))
            """;
        Assert.Equal(PythonReference.Run(python), ours);
    }

    /// <summary>
    /// A notebook written with the builder, laid out like the repository (notebooks/ beside lib/), that #r's a copy
    /// of the library at another path, run in the .NET Interactive kernel: every library type the kernel's display
    /// shows renders as HTML (the formatters the library registers when it loads there), the progress line is one
    /// output updated in place, and the library is loaded once.
    /// </summary>
    [Trait("Category", "Slow")]
    [Fact]
    public void BuiltNotebookRunsAndShowsEveryLibraryTypeWithOneLibraryIdentity()
    {
        string libDir = Directory.CreateDirectory(Path.Combine(_dir, "lib")).FullName;
        foreach (var file in Directory.GetFiles(
            Path.Combine(RepoPaths.Root, "lib", "LatentRules", "bin", "Debug", "net8.0")))
            // the library's build output: it and its dependencies
            File.Copy(file, Path.Combine(libDir, Path.GetFileName(file)));
        // as setup.sh lays it out
        string plotly = Path.Combine(_dir, "environment", "node_modules", "plotly.js-dist-min", "plotly.min.js");
        Directory.CreateDirectory(Path.GetDirectoryName(plotly)!);
        File.Copy(BrowserAsset.Plotly.Path(), plotly);
        string nbDir = Directory.CreateDirectory(Path.Combine(_dir, "notebooks", "helpers")).Parent!.FullName;
        File.WriteAllText(Path.Combine(nbDir, "helpers", "extra.csx"), "double Half(double v) => v / 2;\n");
        string nb = Path.Combine(nbDir, "tour.ipynb");
        new NotebookBuilder { LibraryPath = "../lib/LatentRules.dll" }
            .Markdown("# Tour\nA [link](https://example.org) and a table:\n\n| a | b |\n|---|---|\n| 1 | 2 |")
            .Parameters("int steps = 4;\nstring name = \"small\";")
            .UseLibrary("LatentRules.Torch", "LatentRules.Tables", "LatentRules.Plots", "LatentRules.Progress",
                "static TorchSharp.torch")
            .Code("#load \"helpers/extra.csx\"\n" +
                "var xs = Enumerable.Range(0, steps).Select(i => (double)i).ToArray();\nHalf(xs.Sum())")
            .Code("""
                display(Frames.FromRecords(xs.Select(x => new { x, square = x * x })));
                display(Charts.Scatter(xs, xs.Select(x => x * x).ToArray(),
                    xs.Select(x => x % 2 == 0 ? "even" : "odd").ToArray()).Title(name));
                display(arange(steps));
                display(nn.Linear(2, 3));
                using (var progress = new ProgressReporter(steps, "epoch 1"))
                    for (int i = 0; i < steps; i++) progress.Step(examples: 8, loss: 1.0 / (i + 1));
                AppDomain.CurrentDomain.GetAssemblies().Count(a => a.GetName().Name == "LatentRules")
                """)
            .Save(nb);

        string output = Path.Combine(_dir, "out", "tour.ipynb");
        string html = Path.Combine(_dir, "out", "tour.html");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        int exit = CommandLine.Dispatch(
            new[] { "run", nb, "--out", output, "--html", html, "-p", "steps=6", "-p", "name=six" }, CommandList.All);
        Assert.True(exit == 0, NotebookOutputs.Errors(output));

        var cells = (JsonArray)JsonNode.Parse(File.ReadAllText(output))!["cells"]!;
        Assert.Equal("injected-parameters", cells[2]!["metadata"]!["tags"]![0]!.GetValue<string>());
        // #load relative to the notebook, -p steps=6
        Assert.Equal("7.5", Text(Outputs(cells, 4)[0]!));
        var shown = Outputs(cells, 5);
        Assert.Equal(
            new[] { "display_data", "display_data", "display_data", "display_data", "display_data", "execute_result" },
            shown.Select(o => o!["output_type"]!.GetValue<string>()));
        Assert.All(shown.Take(4), o => Assert.NotNull(o!["data"]!["text/html"]));  // HTML: the library's formatters
        Assert.Contains("<table", Html(shown[0]!));
        Assert.Contains("Plotly.newPlot", Html(shown[1]!));
        Assert.Contains("\"six\"", Html(shown[1]!));
        Assert.Contains("Figure: 2 trace(s)", Text(shown[1]!));
        // values, TorchSharp's Julia style
        Assert.Contains("[6], type = Int64, device = cpu\n 0 1 2 3 4 5", Html(shown[2]!));
        Assert.Contains("Linear (Linear)  params 9", Html(shown[3]!));                // the module tree with counts
        // one output, updated in place
        Assert.Matches(@"^epoch 1  \[#{20}\]  6/6 .*examples/s.*loss 0\.1667$", Text(shown[4]!));
        Assert.Equal("1", Text(shown[5]!));                                        // one LatentRules assembly loaded
        PythonReference.Run("import nbformat\n" +
            $"nbformat.validate(nbformat.read({JsonSerializer.Serialize(output)}, as_version=4))\n");

        // The report: Markdown rendered, plotly inlined once, and the chart really draws offline.
        string report = File.ReadAllText(html);
        Assert.Contains("<a href=\"https://example.org\">link</a>", report);
        Assert.Contains("<th>a</th>", report);
        string banner = File.ReadLines(BrowserAsset.Plotly.Path()).Skip(1).First();      // "* plotly.js vX.Y.Z"
        Assert.Single(Regex.Matches(report, Regex.Escape(banner)));
        string dom = HeadlessChromium.Run($"--dump-dom file://{html}");
        Assert.Contains("class=\"main-svg\"", dom);
        Assert.Equal(2, Regex.Matches(dom, "<g class=\"trace[ \"]").Count);
    }

    private static JsonArray Outputs(JsonArray cells, int cell) => (JsonArray)cells[cell]!["outputs"]!;

    private static string Text(JsonNode output) => NotebookOutputs.Text(output);

    private static string Html(JsonNode output) => output["data"]?["text/html"]?.GetValue<string>() ?? "";
}

using System.Diagnostics;
using System.Text.Json.Nodes;
using LatentRules.Lab.Commands;
using LatentRules.Lab.Notebooks;
using LatentRules.Notebooks;
using LatentRules.Plots;
using LatentRules.Tests.Support;

namespace LatentRules.Tests.Notebooks;

/// <summary>
/// The headless runner drives the real .NET Interactive kernel (the pinned dotnet-interactive tool): outputs as a
/// frontend records them, parameters, failures, time limits, a kernel that dies, and no kernel left behind.
/// </summary>
[Collection("torch")]
public sealed class NotebookRunnerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lr-notebook-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string LibraryReference => Path.Combine(AppContext.BaseDirectory, "LatentRules.dll");

    // A notebook in the test's folder; every code cell in C# with the .NET Interactive metadata.
    private string Write(string name, Action<NotebookBuilder> cells)
    {
        var builder = new NotebookBuilder { LibraryPath = LibraryReference };
        cells(builder);
        string path = Path.Combine(_dir, name);
        builder.Save(path);
        return path;
    }

    private static int Run(params string[] args) => CommandLine.Dispatch(args, CommandList.All);

    private static JsonArray Outputs(string path, int cell) =>
        (JsonArray)JsonNode.Parse(File.ReadAllText(path))!["cells"]![cell]!["outputs"]!;

    private static string Text(JsonNode output) => NotebookOutputs.Text(output);

    [Trait("Category", "Slow")]
    [Fact]
    public void AKernelGetsTheLabsLibtorchEvenWhenTorchSharpIsCalledFirst()
    {
        // The folder real notebooks #r (natives flat beside TorchSharp.dll), and TorchSharp called before any lab type:
        // Debian's libtorch 1.13 (python3-torch) is on the system path and must not be the one mapped.
        string libraryFolder = Path.Combine(RepoPaths.Root, "lib", "LatentRules", "bin", "Debug", "net8.0");
        var builder = new NotebookBuilder { LibraryPath = Path.Combine(libraryFolder, "LatentRules.dll") };
        builder.UseLibrary("TorchSharp")
            .Code("TorchSharp.torch.ones(2).sum().ToSingle()")
            .Code("string.Join(\";\", LatentRules.Torch.TorchRuntime.MappedLibTorch())");
        string nb = Path.Combine(_dir, "native.ipynb"), outPath = Path.Combine(_dir, "native-out.ipynb");
        builder.Save(nb);
        Assert.Equal(0, Run("run", nb, "--out", outPath));
        Assert.Equal("2", Text(Outputs(outPath, 1)[0]!).Trim());
        Assert.Equal(Path.Combine(libraryFolder, "libtorch_cpu.so"), Text(Outputs(outPath, 2)[0]!).Trim());
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void RunsCellsInTheKernelWithStateParametersAndLiveProgress()
    {
        string nb = Write("demo.ipynb", b => b
            .Markdown("# Demo\nSome *text*.")
            .Parameters("int n = 3;\nstring label = \"a\";")
            .UseLibrary("LatentRules.Torch", "TorchSharp", "LatentRules.Progress", "LatentRules.Notebooks")
            .Code("""
                Console.WriteLine($"n={n} label={label}");
                var shown = Display.Show("first");
                shown.Update("second");
                var dropped = display("kernel's own");
                dropped.Update("never arrives");
                using (var progress = new ProgressReporter(n, "steps"))
                    for (int i = 0; i < n; i++) { System.Threading.Thread.Sleep(300); progress.Step(); }
                2 * n
                """)
            .Code("torch.arange(n).sum().ToInt64()"));
        string outPath = Path.Combine(_dir, "out.ipynb");
        string html = Path.Combine(_dir, "out.html");
        string before = File.ReadAllText(nb);
        Assert.Equal(0, Run("run", nb, "--out", outPath, "--html", html, "-p", "n=5", "-p", "label=b \"c\"\\"));

        var cells = (JsonArray)JsonNode.Parse(File.ReadAllText(outPath))!["cells"]!;
        // injected cell after the parameters cell
        Assert.Equal(6, cells.Count);
        Assert.Contains("injected-parameters", cells[2]!["metadata"]!["tags"]!.ToJsonString());
        var outputs = Outputs(outPath, 4);
        Assert.Equal("n=5 label=b \"c\"\\\n", Text(outputs[0]!));               // parameters override the defaults
        Assert.Equal("second", Text(outputs[1]!));                              // the library's handle updates in place
        // the kernel's display(x).Update is dropped
        Assert.Equal("kernel's own", Text(outputs[2]!));
        // progress: one output, updated to the end
        Assert.Matches(@"^steps  \[#{20}\]  5/5 ", Text(outputs[3]!));
        Assert.Equal("execute_result", outputs[4]!["output_type"]!.GetValue<string>());
        Assert.Equal("10", Text(outputs[4]!));
        Assert.Equal(5, outputs.Count);
        Assert.Equal("10", Text(Outputs(outPath, 5)[0]!));                      // state carried: n and the library
        Assert.Contains("<em>text</em>", File.ReadAllText(html));
        Assert.Equal(before, File.ReadAllText(nb));                             // input untouched with --out
        PythonReference.Run("import nbformat\n" +
            $"nbformat.validate(nbformat.read({System.Text.Json.JsonSerializer.Serialize(outPath)}, as_version=4))\n");
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void FormulasTypesetOfflineAsMathMLWithTheirSourceKept()
    {
        string nb = Write("math.ipynb", b => b
            .UseLibrary("LatentRules.Notebooks", "LatentRules.Tables")
            .Code("display(new Latex(@\"\\frac{E}{a^{2}}\"));")
            .Code("Frames.FromRecords(new[] { new { premise = new Latex(@\"\\log{(k)} - Q\"), variable = \"k\" } })"));
        string outPath = Path.Combine(_dir, "math-out.ipynb");
        string html = Path.Combine(_dir, "math.html");
        Assert.Equal(0, Run("run", nb, "--out", outPath, "--html", html));
        string first = Outputs(outPath, 1)[0]!["data"]!["text/html"]!.GetValue<string>();
        string second = Outputs(outPath, 2)[0]!["data"]!["text/html"]!.GetValue<string>();
        // the session's first formula carries KaTeX
        Assert.Contains(BrowserAsset.Katex.InlineMarker, first);
        Assert.DoesNotContain(BrowserAsset.Katex.InlineMarker, second);
        Assert.Contains("<td><span class=\"lr-tex\"", second);
        string dom = HeadlessChromium.Run($"--dump-dom file://{html}");
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(dom, "<math").Count);
        Assert.Contains("<annotation encoding=\"application/x-tex\">\\frac{E}{a^{2}}</annotation>", dom);
        Assert.Contains("<mfrac>", dom);
        Assert.Contains("title=\"\\log{(k)} - Q\"", dom);                      // the source on hover
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void AFailingCellStopsTheRunAndIsRecorded()
    {
        string nb = Write("fail.ipynb", b => b
            .Code("Console.WriteLine(\"before\");")
            .Code("throw new InvalidOperationException(\"boom\");")
            .Code("Console.WriteLine(\"never\");"));
        Assert.Equal(1, Run("run", nb));
        var failed = Outputs(nb, 1);
        Assert.Equal("error", failed[0]!["output_type"]!.GetValue<string>());
        Assert.Equal("InvalidOperationException", failed[0]!["ename"]!.GetValue<string>());
        Assert.Equal("boom", failed[0]!["evalue"]!.GetValue<string>());
        Assert.Empty(Outputs(nb, 2));                                           // later cells did not run
        Assert.Equal("before\n", Text(Outputs(nb, 0)[0]!));

        string broken = Write("compile.ipynb", b => b.Code("int x = \"text\";"));
        Assert.Equal(1, Run("run", broken));
        Assert.Contains("CS0029", Outputs(broken, 0)[0]!["traceback"]!.ToJsonString());
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void ACellOverItsTimeLimitStopsTheKernelAndLeavesNoProcess()
    {
        string nb = Write("slow.ipynb",
            b => b.Code("Console.WriteLine(\"started\");").Code("System.Threading.Thread.Sleep(120_000);"));
        var watch = Stopwatch.StartNew();
        // 20 s: the first cell's compilation alone took over 3 s on a loaded 2-core machine.
        Assert.Equal(1, Run("run", nb, "--timeout-per-cell", "20"));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(110), $"the run took {watch.Elapsed}");
        Assert.Contains("cell 2 did not finish within 20 s", Text(Outputs(nb, 1)[0]!));
        Assert.Equal("started\n", Text(Outputs(nb, 0)[0]!));                     // the partial notebook is saved
        Assert.Empty(KernelsWorkingIn(_dir));
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void AKernelThatDiesMidRunIsReportedWithItsCell()
    {
        string nb = Write("dies.ipynb", b => b
            .Code("Console.WriteLine(\"alive\");")
            .Code("System.Diagnostics.Process.GetCurrentProcess().Kill();")
            .Code("Console.WriteLine(\"never\");"));
        Assert.Equal(1, Run("run", nb));
        var error = Outputs(nb, 1)[0]!;
        Assert.Equal("KernelDied", error["ename"]!.GetValue<string>());
        Assert.Contains("cell 2: the kernel exited", Text(error));
        Assert.Empty(Outputs(nb, 2));
        Assert.Empty(KernelsWorkingIn(_dir));
    }

    [Fact]
    public void AKernelThatCannotStartIsOneClearMessage()
    {
        // A program that exits at once instead of answering.
        var bogus = new KernelCommand("dotnet", new[] { Path.Combine(_dir, "no-such-kernel.dll") });
        var error =
            Assert.Throws<KernelException>(() => InteractiveKernel.Start(_dir, bogus, TimeSpan.FromSeconds(60)));
        Assert.Contains("the kernel exited before it could start (exit code", error.Message);
        Assert.Contains("no-such-kernel.dll", error.Message);                   // its own error output is passed on

        // A tool manifest naming a version that was never restored.
        Directory.CreateDirectory(Path.Combine(_dir, ".config"));
        File.WriteAllText(Path.Combine(_dir, KernelTool.ManifestPath),
            """{"version":1,"isRoot":true,"tools":{"microsoft.dotnet-interactive":{"version":"0.0.1","commands":""" +
            """["dotnet-interactive"]}}}""");
        Assert.Contains("microsoft.dotnet-interactive 0.0.1 named in",
            Assert.Throws<KernelException>(() => KernelTool.Command(_dir)).Message);
        string nb = Write("nostart.ipynb", b => b.Code("1"));
        Assert.Equal(1, Run("run", nb));
        var output = Outputs(nb, 0)[0]!;
        Assert.Equal("KernelStartFailed", output["ename"]!.GetValue<string>());
        Assert.Contains("run `dotnet tool restore`", Text(output));
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void TheKernelDiesWithARunnerThatIsKilledOutright()
    {
        string nb = Write("orphan.ipynb",
            b => b.Code("Console.WriteLine(\"running\");").Code("System.Threading.Thread.Sleep(120_000);"));
        using var runner = RepositoryNotebookTests.StartLab(_dir, "run", nb);
        var watch = Stopwatch.StartNew();
        while (KernelsWorkingIn(_dir).Count == 0 && watch.Elapsed < TimeSpan.FromSeconds(60)) Thread.Sleep(200);
        Assert.NotEmpty(KernelsWorkingIn(_dir));
        // SIGKILL: the runner cleans up nothing itself
        runner.Kill();
        runner.WaitForExit();
        var deadline = Stopwatch.StartNew();
        while (KernelsWorkingIn(_dir).Count > 0 && deadline.Elapsed < TimeSpan.FromSeconds(10)) Thread.Sleep(200);
        Assert.Empty(KernelsWorkingIn(_dir));
    }

    [Fact]
    public void MalformedNotebooksAndParametersAreRefusedWithFileAndCell()
    {
        string bad = Path.Combine(_dir, "bad.ipynb");
        File.WriteAllText(bad, "{ not json");
        Assert.Contains("bad.ipynb: not valid JSON",
            Assert.Throws<InvalidDataException>(() => NotebookDocument.Load(bad)).Message);
        Assert.Equal(1, Run("run", bad));
        File.WriteAllText(bad, "{\"nbformat\": 3, \"cells\": []}");
        Assert.Contains("nbformat 3", Assert.Throws<InvalidDataException>(() => NotebookDocument.Load(bad)).Message);
        Assert.Equal(1, Run("run", Path.Combine(_dir, "missing.ipynb")));
        string fsharp = Write("fs.ipynb", b => b.Code("1 + 1").Code("#!csharp\n2"));
        var json = JsonNode.Parse(File.ReadAllText(fsharp))!;
        json["cells"]![1]!["source"] = "#!fsharp\nlet x = 1";
        File.WriteAllText(fsharp, json.ToJsonString());
        Assert.Contains("cell 2 is in language 'fsharp'",
            Assert.Throws<InvalidDataException>(() => NotebookDocument.Load(fsharp)).Message);
        Assert.Equal(1, Run("run", fsharp));

        string nb = Write("p.ipynb", b => b.Parameters("int n = 1;"));
        Assert.Contains("'m' is not declared",
            Assert.Throws<ArgumentException>(() => ParameterInjection.Inject(NotebookDocument.Load(nb),
                new[] { new KeyValuePair<string, string>("m", "2") })).Message);
        Assert.Contains("not a valid int",
            Assert.Throws<ArgumentException>(() => ParameterInjection.Inject(NotebookDocument.Load(nb),
                new[] { new KeyValuePair<string, string>("n", "x") })).Message);
        Assert.Equal(1, Run("run", nb, "-p", "m=2"));
    }

    [Fact]
    public void NullableParametersTakeValuesOfTheirTypeOrNull()
    {
        string nb = Write("nullable.ipynb",
            b => b.Parameters("int? steps = null;\ndouble? beta = 0.5;\nstring? seeds = null;"));
        var document = NotebookDocument.Load(nb);
        ParameterInjection.Inject(document, new[]
        {
            new KeyValuePair<string, string>("steps", "5"), new KeyValuePair<string, string>("beta", "null"),
            new KeyValuePair<string, string>("seeds", "1-3"),
        });
        int injected = Enumerable.Range(0, document.Cells.Count).Single(k => document.HasTag(k, "injected-parameters"));
        string source = document.Source(injected);
        Assert.Contains("steps = 5;", source);
        Assert.Contains("beta = null;", source);
        Assert.Contains("seeds = \"1-3\";", source);
        Assert.Contains("not a valid int", Assert.Throws<ArgumentException>(() => ParameterInjection.Inject(
            NotebookDocument.Load(nb), new[] { new KeyValuePair<string, string>("steps", "five") })).Message);
    }

    [Fact]
    public void StringParametersBecomeLiteralsThatReadBackExactly()
    {
        foreach (var value in new[] { "plain", "a \"quoted\" \\ path", "tab\tand\nnewline", "\u0001\u2028é😀" })
        {
            string literal = ParameterInjection.StringLiteral(value);
            Assert.DoesNotContain('\n', literal);
            Assert.Equal(value, System.Text.RegularExpressions.Regex.Unescape(literal[1..^1]));
        }
    }

    /// <summary>dotnet-interactive processes whose command line names this working directory.</summary>
    internal static List<int> KernelsWorkingIn(string folder)
    {
        Thread.Sleep(500);                                                       // let a kill be reaped
        var found = new List<int>();
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
            try
            {
                string command = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (command.Contains("stdio", StringComparison.Ordinal)
                    && command.Contains(folder, StringComparison.Ordinal)) found.Add(pid);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return found;
    }
}

using System.Diagnostics;
using LatentRules.Lab.Notebooks;
using LatentRules.Tests.Support;

namespace LatentRules.Tests.Notebooks;

/// <summary>
/// Every notebook in notebooks/ runs top to bottom in the .NET Interactive kernel, as README shows: the lab's command
/// line started as its own process, from a working directory outside the repository (a notebook must not depend on
/// where it is started from), with the settings its parameters cell names on its "// quick run:" lines (smaller
/// sizes and fewer steps and seeds: the same cells and code paths in about a minute), and with every cell that trains
/// a model run a second time at the end in the same kernel (a cell must be safe to run again). The run fails on any
/// error output, and the written notebook must validate as nbformat 4.
/// </summary>
[Collection("torch")]
public sealed class RepositoryNotebookTests
{
    public static TheoryData<string> Notebooks()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(Path.Combine(RepoPaths.Root, "notebooks"), "*.ipynb").OrderBy(p => p))
            data.Add(Path.GetFileName(path));
        return data;
    }

    [Fact]
    public void TheNotebooksFolderHasNotebooks() => Assert.NotEmpty(Notebooks());

    [Trait("Category", "Slow")]
    [Theory]
    [MemberData(nameof(Notebooks))]
    public void RunsInTheKernelFromAnotherWorkingDirectory(string name)
    {
        string elsewhere = Directory.CreateTempSubdirectory("lr-cwd-").FullName;
        string output = Path.Combine(elsewhere, name);
        string source = Path.Combine(RepoPaths.Root, "notebooks", name);
        // beside the original, so that its relative paths (the library build, data/) hold
        string path = Path.Combine(RepoPaths.Root, "notebooks", $".rerun-{Guid.NewGuid():N}-{name}");
        try
        {
            var document = NotebookDocument.Load(source);
            foreach (int cell in TrainingCells(document).ToList())
                document.InsertCode(document.Cells.Count, document.Source(cell), "rerun");
            document.Save(path);
            var args = new List<string> { "run", path, "--out", output };
            if (HasTrials(source)) args.AddRange(new[] { "-p", $"trialsFile={Path.Combine(elsewhere, "trials.csv")}" });
            var (exit, log) = RunLab(elsewhere, args.Concat(QuickRun(source)).ToArray());
            Assert.True(exit == 0, $"{name} failed (exit {exit}):\n{log}");
            Assert.True(NotebookOutputs.Errors(output) == "",
                $"{name} has error outputs:\n{NotebookOutputs.Errors(output)}");
            PythonReference.Run("import nbformat\n" +
                $"nbformat.validate(nbformat.read({System.Text.Json.JsonSerializer.Serialize(output)}, " +
                "as_version=4))\n");
        }
        finally
        {
            Directory.Delete(elsewhere, recursive: true);
            File.Delete(path);
        }
    }

    // The code cells that train a model (the cells issue 23 asks to be safe to run again).
    private static IEnumerable<int> TrainingCells(NotebookDocument document) =>
        Enumerable.Range(0, document.Cells.Count).Where(c => document.CellType(c) == "code"
            && new[] { "VaeRuns.NewModel(", "VaeRuns.Train(", "RunStore.TrainOrLoad(" }
                .Any(m => document.Source(c).Contains(m, StringComparison.Ordinal)));

    // Whether the notebook's parameters declare trialsFile (the "Try this" table), which the test points elsewhere.
    private static bool HasTrials(string notebook) =>
        File.ReadAllText(notebook).Contains("string trialsFile", StringComparison.Ordinal);

    /// <summary>The arguments on the "// quick run:" lines of the notebook's parameters cell (none when it has
    /// none).</summary>
    internal static IEnumerable<string> QuickRun(string notebook)
    {
        var document = NotebookDocument.Load(notebook);
        int parameters = Enumerable.Range(0, document.Cells.Count).FirstOrDefault(c => document.HasTag(c, "parameters"),
            -1);
        if (parameters < 0) return Array.Empty<string>();
        return document.Source(parameters).Split('\n')
            .Where(l => l.TrimStart().StartsWith("// quick run:", StringComparison.Ordinal))
            .SelectMany(l => l.TrimStart()["// quick run:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToList();
    }

    [Fact]
    public void QuickRunLinesAreReadAsRunnerArguments()
    {
        var args = QuickRun(Path.Combine(RepoPaths.Root, "notebooks", "04-qwen-injection.ipynb")).ToList();
        Assert.Equal(new[] { "-p", "size=600" }, args.Take(2));
        Assert.Contains("compareSteps=30", args);                                // from the second line
        Assert.Equal(0, args.Count % 2);
        Assert.All(args.Where((_, i) => i % 2 == 0), a => Assert.Equal("-p", a));
    }

    /// <summary>Starts the lab's command line (the build beside the tests) as a process in <paramref
    /// name="workingDirectory"/>.</summary>
    internal static Process StartLab(string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "LatentRules.Lab.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        return Process.Start(info)!;
    }

    /// <summary>Runs the lab's command line to its end; its exit code and everything it printed.</summary>
    internal static (int Exit, string Log) RunLab(string workingDirectory, params string[] args)
    {
        var (exit, output, error) = ChildProcess.RunLab(workingDirectory, args);
        return (exit, output + error);
    }
}

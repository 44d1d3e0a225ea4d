using System.Diagnostics;
using LatentRules.Tests.Support;

namespace LatentRules.Tests.Notebooks;

/// <summary>
/// Every notebook in notebooks/ runs top to bottom in the .NET Interactive kernel in its small configuration, as
/// README shows: the lab's command line started as its own process, from a working directory outside the
/// repository (a notebook must not depend on where it is started from). The run fails on any error output, and
/// the written notebook must validate as nbformat 4.
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
        try
        {
            var (exit, log) = RunLab(elsewhere, "run", Path.Combine(RepoPaths.Root, "notebooks", name), "--out", output);
            Assert.True(exit == 0, $"{name} failed (exit {exit}):\n{log}");
            Assert.True(NotebookOutputs.Errors(output) == "", $"{name} has error outputs:\n{NotebookOutputs.Errors(output)}");
            PythonReference.Run($"import nbformat\nnbformat.validate(nbformat.read({System.Text.Json.JsonSerializer.Serialize(output)}, as_version=4))\n");
        }
        finally
        {
            Directory.Delete(elsewhere, recursive: true);
        }
    }

    /// <summary>Starts the lab's command line (the build beside the tests) as a process in <paramref name="workingDirectory"/>.</summary>
    internal static Process StartLab(string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "LatentRules.Lab.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        return Process.Start(info)!;
    }

    /// <summary>Runs the lab's command line to its end; its exit code and everything it printed.</summary>
    internal static (int Exit, string Log) RunLab(string workingDirectory, params string[] args)
    {
        using var process = StartLab(workingDirectory, args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr);
    }
}

using System.Diagnostics;

namespace LatentRules.Tests.Support;

/// <summary>A program run to its end from a test: its exit code and what it wrote to each stream.</summary>
internal static class ChildProcess
{
    public static (int Exit, string Output, string Error) Run(string program, IEnumerable<string> args,
        string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        if (workingDirectory is not null) info.WorkingDirectory = workingDirectory;
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();   // both streams drained at once: neither can fill up
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.Result);
    }

    /// <summary>The lab's command line (the build beside the tests) with these arguments.</summary>
    public static (int Exit, string Output, string Error) RunLab(string? workingDirectory, params string[] args) =>
        Run("dotnet", args.Prepend(Path.Combine(AppContext.BaseDirectory, "LatentRules.Lab.dll")), workingDirectory);
}

using System.Diagnostics;

namespace LatentRules.Tests.Support;

/// <summary>
/// Runs a script with Debian's python3 (torch 1.13, scikit-learn 1.2: installed by environment/setup.sh)
/// as an independent reference implementation. Fails the test with a clear message when it is missing.
/// </summary>
public static class PythonReference
{
    public const string Python = "/usr/bin/python3";

    public static string Run(string script, int timeoutSeconds = 120)
    {
        if (!File.Exists(Python))
            throw new Xunit.Sdk.XunitException($"{Python} not found: run environment/setup.sh (it installs " +
                "python3-torch and python3-sklearn)");
        var psi = new ProcessStartInfo(Python, "-")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.Environment["OMP_NUM_THREADS"] = Environment.ProcessorCount.ToString();
        using var process = Process.Start(psi)!;
        process.StandardInput.Write(script);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeoutSeconds * 1000))
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"python reference timed out after {timeoutSeconds} s");
        }
        if (process.ExitCode != 0)
            throw new Xunit.Sdk.XunitException($"python reference failed (exit {process.ExitCode}); if a module is " +
                $"missing, run environment/setup.sh:\n{stderr.Result}");
        return stdout.Result;
    }

    /// <summary>Parses whitespace-separated numbers printed by a reference script.</summary>
    public static double[] Numbers(string text) =>
        text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Select(s => double.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
}

using System.Diagnostics;

namespace LatentRules.Plots;

/// <summary>Runs Debian's chromium headless (for PNG export and for tests that check charts really draw).</summary>
public static class HeadlessChromium
{
    public const string Executable = "/usr/bin/chromium";

    /// <summary>
    /// Runs chromium with the lab's headless flags plus <paramref name="arguments"/>; returns stdout.
    /// </summary>
    public static string Run(string arguments, int timeoutSeconds = 60)
    {
        if (!File.Exists(Executable))
            throw new FileNotFoundException($"{Executable} not found: environment/setup.sh installs Debian's chromium");
        string profile = Directory.CreateTempSubdirectory("lr-chromium-").FullName;
        var psi = new ProcessStartInfo(Executable,
            $"--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update " +
            $"--disable-sync --no-first-run --user-data-dir={profile} --virtual-time-budget=5000 {arguments}")
        { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        try
        {
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(timeoutSeconds * 1000))
            {
                p.Kill(entireProcessTree: true);
                throw new TimeoutException($"chromium did not finish within {timeoutSeconds} s");
            }
            if (p.ExitCode != 0) throw new IOException($"chromium exited with {p.ExitCode}: {stderr.Result}");
            return stdout.Result;
        }
        finally
        {
            try { Directory.Delete(profile, recursive: true); } catch (IOException) { }
        }
    }
}

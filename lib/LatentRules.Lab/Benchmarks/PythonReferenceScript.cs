using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using static TorchSharp.torch;

namespace LatentRules.Lab.Benchmarks;

/// <summary>
/// Runs one of the benchmark's PyTorch twins (Benchmarks/*.py, copied next to the lab) with Debian's python3
/// and this process's thread count; the script's last stdout line is a JSON object.
/// </summary>
public static class PythonReferenceScript
{
    public static JsonElement Run(string scriptName, params object[] arguments)
    {
        string script = Path.Combine(AppContext.BaseDirectory, "Benchmarks", scriptName);
        int threads = get_num_threads();
        string args = string.Join(" ", new object[] { $"\"{script}\"" }.Concat(arguments)
            .Select(a => Convert.ToString(a, CultureInfo.InvariantCulture) is var s && s!.Contains(' ') ? $"\"{s}\""
                : s));
        var psi = new ProcessStartInfo("/usr/bin/python3", args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true, UseShellExecute = false
        };
        psi.Environment["OMP_NUM_THREADS"] = threads.ToString(CultureInfo.InvariantCulture);
        // the same OpenMP settings as this process
        psi.Environment["OMP_WAIT_POLICY"] = LatentRules.Torch.Threads.WaitPolicy;
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start /usr/bin/python3");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"PyTorch reference {scriptName} failed (python3-torch is installed " +
                $"by environment/setup.sh):\n{stderr.Result}");
        return JsonDocument.Parse(stdout.Result.Trim().Split('\n').Last()).RootElement.Clone();
    }

    /// <summary>A line of /proc/self/status in KiB (VmRSS:, VmHWM:).</summary>
    public static long StatusKiB(string key) =>
        long.Parse(File.ReadLines("/proc/self/status")
            .First(l => l.StartsWith(key, StringComparison.Ordinal))[key.Length..].Trim().Split(' ')[0],
            CultureInfo.InvariantCulture);
}

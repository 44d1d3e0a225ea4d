using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;

namespace LatentRules.Torch;

/// <summary>
/// Loads the libtorch that ships with the lab's build (the libtorch-cpu-linux-x64 package, or the CUDA one with
/// -p:TorchBackend=cuda) by full path before TorchSharp's first native call, and sets libtorch's threads.
/// Why by path: TorchSharp looks for "torch_cpu" by name, and a .NET Interactive kernel (no deps.json for the lab)
/// then gets whatever the system has first (Debian's python3-torch ships libtorch 1.13). A library that loads its
/// own natives behaves the same in a test host, the Lab and a notebook. Runs from the library's module
/// initializer and again, idempotently, from <see cref="EnsureLoaded"/>.
/// </summary>
public static class TorchRuntime
{
    private static readonly object Gate = new();
    private static string? _directory;

    /// <summary>The folder whose libtorch this process uses.</summary>
    public static string NativeDirectory => EnsureLoaded();

    // a library module initializer is the point: it must run before any TorchSharp call the library makes
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void LoadOnFirstUse() => EnsureLoaded();

    /// <summary>Loads the natives (once) and returns the folder they came from.</summary>
    public static string EnsureLoaded()
    {
        lock (Gate)
        {
            if (_directory is not null) return _directory;
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
                return _directory = "(TorchSharp's own loader: not Linux)";
            Threads.SetOpenMpDefaults();
            var tried = new List<string>();
            foreach (string dir in Candidates())
            {
                tried.Add(dir);
                string torchCpu = Path.Combine(dir, "libtorch_cpu.so"),
                    sharp = Path.Combine(dir, "libLibTorchSharp.so");
                if (!File.Exists(torchCpu) || !File.Exists(sharp)) continue;
                // CUDA builds: torch_cuda first, so LibTorchSharp binds to it (absent in the CPU package).
                foreach (string name in new[] { "libtorch_cpu.so", "libtorch_cuda.so", "libtorch.so",
                    "libLibTorchSharp.so" })
                {
                    string path = Path.Combine(dir, name);
                    if (!File.Exists(path)) continue;
                    try { NativeLibrary.Load(path); }
                    catch (DllNotFoundException e)
                    {
                        throw new DllNotFoundException(
                            $"{path} did not load: {e.Message}. If the message names GLIBCXX_3.4.32, the build's " +
                            $"libstdc++ step did " +
                            "not run on this copy (environment/README.md, 'libstdc++ and TorchSharp'); rebuild with " +
                            "dotnet build.", e);
                    }
                }
                _directory = dir;
                Threads.ApplyDefaults();
                return dir;
            }
            throw new DllNotFoundException(
                $"TorchSharp's native libraries (libtorch_cpu.so, libLibTorchSharp.so) were not found next to " +
                $"TorchSharp.dll; looked in: " +
                $"{string.Join(", ", tried)}. Build the lab with environment/setup.sh or dotnet build.");
        }
    }

    private static IEnumerable<string> Candidates()
    {
        foreach (var assembly in new[] { typeof(torch).Assembly, typeof(TorchRuntime).Assembly })
        {
            string? dir = Path.GetDirectoryName(assembly.Location);
            if (string.IsNullOrEmpty(dir)) continue;
            yield return dir;                                                   // flat output (RuntimeIdentifier set)
            yield return Path.Combine(dir, "runtimes", "linux-x64", "native");   // NuGet's layout without one
        }
    }

    /// <summary>
    /// Full paths of every libtorch_cpu.so mapped into this process (one, from <see cref="NativeDirectory"/>, when all
    /// is well).
    /// </summary>
    public static IReadOnlyList<string> MappedLibTorch()
    {
        if (!File.Exists("/proc/self/maps")) return Array.Empty<string>();
        return File.ReadLines("/proc/self/maps")
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(p => p.Length >= 6
                && Path.GetFileName(p[^1]).StartsWith("libtorch_cpu.so", StringComparison.Ordinal))
            .Select(p => p[^1]).Distinct().ToList();
    }
}

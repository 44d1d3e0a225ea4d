using System.Diagnostics;
using LatentRules.Build;
using LatentRules.Torch;
using TorchSharp;

namespace LatentRules.Tests.Torch;

/// <summary>
/// TorchSharp's natives in the build output: the libstdc++ step (environment/README.md, "libstdc++ and TorchSharp") and
/// loading by path.
/// </summary>
public sealed class NativeLibraryTests : IDisposable
{
    private const string Version = "GLIBCXX_3.4.32";
    private readonly string _dir = Directory.CreateTempSubdirectory("lr-elf-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // The package as NuGet extracted it (the build patches only its copies in output folders).
    private static string PackageCopy()
    {
        string root = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string path =
            Path.Combine(root, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(path), $"TorchSharp's package is not restored at {path}");
        return path;
    }

    private static string ReadElfVersions(string path)
    {
        var psi = new ProcessStartInfo("readelf", $"-V \"{path}\"")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false
        };
        using var p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return output;
    }

    [Fact]
    public void MarkingTheVersionWeakChangesOnlyThatRequirementAndIsIdempotent()
    {
        string copy = Path.Combine(_dir, "libLibTorchSharp.so");
        File.Copy(PackageCopy(), copy);
        byte[] before = File.ReadAllBytes(copy);
        Assert.False(ElfVersionNeeds.IsWeak(copy, Version));                  // as shipped: a hard requirement
        Assert.Equal(ElfVersionNeeds.Outcome.Patched, ElfVersionNeeds.MarkWeak(copy, Version));
        Assert.True(ElfVersionNeeds.IsWeak(copy, Version));
        Assert.Equal(ElfVersionNeeds.Outcome.AlreadyWeak, ElfVersionNeeds.MarkWeak(copy, Version));
        Assert.False(ElfVersionNeeds.IsWeak(copy, "GLIBCXX_3.4.18"));         // its neighbours keep their flags
        Assert.Equal(ElfVersionNeeds.Outcome.NotRequired, ElfVersionNeeds.MarkWeak(copy, "GLIBCXX_9.9.9"));
        byte[] after = File.ReadAllBytes(copy);
        Assert.Equal(before.Length, after.Length);
        // one byte: the flags of one entry
        Assert.Equal(1, before.Zip(after).Count(pair => pair.First != pair.Second));
        if (File.Exists("/usr/bin/readelf"))
            Assert.Matches(@"Name: GLIBCXX_3\.4\.32\s+Flags: WEAK", ReadElfVersions(copy));
    }

    [Fact]
    public void TheBuildOutputIsPatchedExactlyWhereTheSystemLibstdcxxLacksTheVersion()
    {
        string? system = ElfVersionNeeds.SystemLibstdcxx();
        bool systemHasIt = system is not null && ElfVersionNeeds.Defines(system, Version);
        string output =
            Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.Equal(!systemHasIt, ElfVersionNeeds.IsWeak(output, Version));
        // And this process loaded it: libtorch answers.
        Assert.Equal(2.0f, TorchSharp.torch.ones(2).sum().ToSingle());
    }

    [Fact]
    public void MalformedFilesAreRefusedNamingTheFile()
    {
        string text = Path.Combine(_dir, "not-elf.so");
        File.WriteAllText(text,
            "this is not an ELF file at all, but long enough to have a header of sixty-four bytes.");
        Assert.Contains(text,
            Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.MarkWeak(text, Version)).Message);
        string truncated = Path.Combine(_dir, "truncated.so");
        File.WriteAllBytes(truncated, File.ReadAllBytes(PackageCopy()).Take(4096).ToArray());
        var e = Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.MarkWeak(truncated, Version));
        Assert.Contains("truncated or malformed ELF", e.Message);
    }

    [Fact]
    public void TheLabLoadsOnlyItsOwnLibtorch()
    {
        string dir = TorchRuntime.NativeDirectory;
        Assert.True(File.Exists(Path.Combine(dir, "libtorch_cpu.so")));
        Assert.Equal(new[] { Path.Combine(dir, "libtorch_cpu.so") }, TorchRuntime.MappedLibTorch());
        Assert.NotEqual("(unset)", Threads.WaitPolicy);                       // PASSIVE unless the environment chose
    }
}

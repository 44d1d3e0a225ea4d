using System.Text.RegularExpressions;
using LatentRules.Experiments;
using LatentRules.Tests.Support;

namespace LatentRules.Tests.Experiments;

/// <summary>
/// The version reports, saved parts and stored runs record (<see cref="ExperimentReport.LibraryVersionText"/>): the
/// commit, and a hash of the uncommitted changes when the tracked paths differ from it
/// (environment/build/UncommittedChanges.targets), so that an edited library never reuses what other code measured.
/// </summary>
public sealed class LibraryVersionTests : IDisposable
{
    private readonly string _repo = Directory.CreateTempSubdirectory("lr-version-").FullName;

    public void Dispose() => Directory.Delete(_repo, recursive: true);

    [Fact]
    public void TheLibraryNamesItsCommitAndMarksUncommittedChanges() =>
        Assert.Matches(@"^1\.0\.0\+[0-9a-f]{40}(\.dirty-[0-9a-f]{12})?$", ExperimentReport.LibraryVersionText);

    // A scratch repository with a project that tracks its own folder and ../data, built with the repository's targets.
    [Fact]
    [Trait("Category", "Slow")]
    public void UncommittedChangesToTrackedPathsChangeTheVersionAndRevertingRestoresIt()
    {
        Write("src/Probe.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <VersionTracksPaths>.;../data</VersionTracksPaths>
              </PropertyGroup>
              <Import Project="{Path.Combine(RepoPaths.Root, "environment", "build", "UncommittedChanges.targets")}" />
            </Project>
            """);
        Write("src/Probe.cs", "public static class Probe { public const int X = 1; }");
        Write("data/rules.txt", "a");
        Write(".gitignore", "bin/\nobj/\n");
        Git("init", "-q");
        Git("add", "-A");
        Git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "one");
        string commit = Git("rev-parse", "HEAD").Trim();

        Assert.Equal($"1.0.0+{commit}", Build());

        Write("src/Probe.cs", "public static class Probe { public const int X = 2; }");
        string edited = Build();
        Assert.Matches($@"^1\.0\.0\+{commit}\.dirty-[0-9a-f]{{12}}$", edited);

        Write("data/rules.txt", "b");                       // tracked data beside the code changes it again
        string dataToo = Build();
        Assert.NotEqual(edited, dataToo);
        Git("checkout", "-q", "--", "data");
        Assert.Equal(edited, Build());                      // the same changes give the same version

        Write("src/New.cs", "class New { }");               // an untracked file is a change too, by name and bytes
        string untracked = Build();
        Assert.NotEqual(edited, untracked);
        Write("src/New.cs", "class New { int X => 1; }");
        Assert.NotEqual(untracked, Build());
        File.Delete(Path.Combine(_repo, "src", "New.cs"));
        Git("checkout", "-q", "--", "src");
        Write("notes.txt", "outside the tracked paths");
        Assert.Equal($"1.0.0+{commit}", Build());
    }

    private void Write(string relative, string text)
    {
        string path = Path.Combine(_repo, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    // The informational version the build wrote into the generated assembly attributes.
    private string Build()
    {
        Run("dotnet", "build", "src", "-nologo", "-v", "q");
        string info = File.ReadAllText(Path.Combine(_repo, "src", "obj", "Debug", "net10.0", "Probe.AssemblyInfo.cs"));
        var match = Regex.Match(info, "AssemblyInformationalVersionAttribute\\(\"([^\"]+)\"");
        Assert.True(match.Success, info);
        return match.Groups[1].Value;
    }

    private string Git(params string[] arguments) => Run("git", arguments);

    private string Run(string program, params string[] arguments)
    {
        var (exit, output, error) = ChildProcess.Run(program, arguments, _repo);
        Assert.True(exit == 0, $"{program} {string.Join(" ", arguments)} exited {exit}: {output}{error}");
        return output;
    }
}

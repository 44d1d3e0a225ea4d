using System.Text.Json;
using System.Text.Json.Nodes;

namespace LatentRules.Lab.Notebooks;

/// <summary>How to start a kernel process: the program and its arguments before the kernel's own options.</summary>
public sealed record KernelCommand(string FileName, IReadOnlyList<string> Arguments);

/// <summary>
/// Where the pinned kernel is: the dotnet tool Microsoft.dotnet-interactive named in the repository's local tool
/// manifest (.config/dotnet-tools.json), restored into the NuGet package folder by `dotnet tool restore`
/// (environment/setup.sh). The runner starts the tool's program itself rather than through `dotnet tool run`,
/// which would put a second process between the runner and the kernel: on Linux it is started under
/// `setpriv --pdeathsig KILL`, so the kernel dies with the runner even when the runner is killed outright.
/// </summary>
public static class KernelTool
{
    public const string ManifestPath = ".config/dotnet-tools.json";
    private const string PackageId = "microsoft.dotnet-interactive";

    /// <summary>The nearest folder holding the manifest, above the notebook or above the lab's own build.</summary>
    public static string Root(string notebookFolder)
    {
        foreach (var start in new[] { notebookFolder, AppContext.BaseDirectory })
            for (var d = new DirectoryInfo(start); d != null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, ManifestPath))) return d.FullName;
        throw new KernelException($"no {ManifestPath} above {notebookFolder} or {AppContext.BaseDirectory}: the " +
                                  "kernel is the dotnet tool Microsoft.dotnet-interactive pinned there; run " +
                                  "environment/setup.sh in the repository");
    }

    /// <summary>The command that starts the kernel pinned in the manifest under <paramref name="root"/>.</summary>
    public static KernelCommand Command(string root)
    {
        string manifest = Path.Combine(root, ManifestPath);
        string version;
        try
        {
            version = (JsonNode.Parse(File.ReadAllText(manifest))?["tools"]?[PackageId]?["version"]?.GetValue<string>())
                ?? throw new KernelException($"{manifest}: no tools.{PackageId}.version");
        }
        catch (JsonException e) { throw new KernelException($"{manifest}: not valid JSON ({e.Message})"); }
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } custom ? custom
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string tools = Path.Combine(packages, PackageId, version, "tools");
        string? program = Directory.Exists(tools)
            ? Directory.EnumerateFiles(tools, "Microsoft.DotNet.Interactive.App.dll", SearchOption.AllDirectories)
                .OrderBy(p => p, StringComparer.Ordinal).LastOrDefault()
            : null;
        if (program is null)
            throw new KernelException($"the kernel {PackageId} {version} named in {manifest} is not restored " +
                                      $"(no {tools}): run `dotnet tool restore` in {root} (environment/setup.sh does)");
        return File.Exists("/usr/bin/setpriv")
            ? new KernelCommand("/usr/bin/setpriv", new[] { "--pdeathsig", "KILL", "dotnet", program })
            : new KernelCommand("dotnet", new[] { program });
    }
}

namespace LatentRules.Lab.Notebooks;

/// <summary>
/// Where the pinned kernel is: the repository's local tool manifest (.config/dotnet-tools.json, restored by
/// environment/setup.sh with `dotnet tool restore`). `dotnet tool run` finds it from the folder it starts in.
/// </summary>
public static class KernelTool
{
    public const string ManifestPath = ".config/dotnet-tools.json";

    /// <summary>The nearest folder holding the manifest, above the notebook or above the lab's own build.</summary>
    public static string Root(string notebookFolder)
    {
        foreach (var start in new[] { notebookFolder, AppContext.BaseDirectory })
            for (var d = new DirectoryInfo(start); d != null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, ManifestPath))) return d.FullName;
        throw new KernelException($"no {ManifestPath} above {notebookFolder} or {AppContext.BaseDirectory}: the kernel is the dotnet tool " +
                                  "Microsoft.dotnet-interactive pinned there; run environment/setup.sh in the repository");
    }
}

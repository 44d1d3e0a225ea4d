using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace LatentRules.Experiments;

/// <summary>
/// How to start a worker: the lab's command line (<c>dotnet LatentRules.Lab.dll</c>), built from the very library
/// build this process runs, so that a worker computes what this process would.
/// </summary>
public sealed record WorkerLauncher(string FileName, IReadOnlyList<string> Prefix)
{
    /// <summary>
    /// The lab's command line next to this library: LATENTRULES_LAB (a LatentRules.Lab.dll) when set, else
    /// LatentRules.Lab.dll in this library's folder (the lab's and the tests' output), else the Debug or Release build
    /// of lib/LatentRules.Lab in the repository this library was built in (a notebook's case). Only a lab whose folder
    /// holds this same library build (same module version id) is taken; null, with <paramref name="why"/>, otherwise.
    /// </summary>
    public static WorkerLauncher? Find(out string why)
    {
        var library = typeof(WorkerLauncher).Assembly;
        return Find(Path.GetDirectoryName(library.Location) ?? ".", library.ManifestModule.ModuleVersionId, out why);
    }

    // The search of Find from a library in folder `here` whose build is `mine`.
    internal static WorkerLauncher? Find(string here, Guid mine, out string why)
    {
        var found = new List<string>();
        foreach (var lab in Candidates(here).Where(File.Exists))
        {
            if (ModuleVersionId(Path.Combine(Path.GetDirectoryName(lab)!, "LatentRules.dll")) == mine)
            {
                why = "";
                return new WorkerLauncher(DotnetHost(), new[] { lab });
            }
            found.Add(lab);
        }
        why = found.Count == 0
            ? "no built lab (LatentRules.Lab.dll) was found next to this library; `dotnet build` builds it"
            : $"the lab at {found[0]} holds another build of the library than this process runs; `dotnet build` " +
              "rebuilds it";
        return null;
    }

    // Where to look, in order; the repository's lab builds are listed only when the nearer places hold no match.
    private static IEnumerable<string> Candidates(string here)
    {
        if (Environment.GetEnvironmentVariable("LATENTRULES_LAB") is { Length: > 0 } given) yield return given;
        yield return Path.Combine(here, "LatentRules.Lab.dll");
        for (var dir = new DirectoryInfo(here); dir is not null; dir = dir.Parent)
            if (Path.Combine(dir.FullName, "LatentRules.Lab", "bin") is var bin && Directory.Exists(bin))
            {
                var labs = Directory.EnumerateFiles(bin, "LatentRules.Lab.dll", SearchOption.AllDirectories).ToList();
                foreach (var build in new[] { "Debug", "Release" })
                    foreach (var lab in labs.Where(p =>
                                 p.Contains($"{Path.DirectorySeparatorChar}{build}{Path.DirectorySeparatorChar}")))
                        yield return lab;
                yield break;
            }
    }

    // The dotnet host: the one the SDK names for child processes, this process when it is dotnet, else PATH's.
    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
            return host;
        string? self = Environment.ProcessPath;
        return self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }

    private static Guid? ModuleVersionId(string assembly)
    {
        if (!File.Exists(assembly)) return null;
        try
        {
            using var pe = new PEReader(File.OpenRead(assembly));
            var metadata = pe.GetMetadataReader();
            return metadata.GetGuid(metadata.GetModuleDefinition().Mvid);
        }
        catch (BadImageFormatException)
        {
            return null;
        }
    }
}

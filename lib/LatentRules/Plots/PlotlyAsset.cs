namespace LatentRules.Plots;

/// <summary>Finds plotly.min.js, installed by environment/setup.sh from npm into environment/node_modules.</summary>
public static class PlotlyAsset
{
    /// <summary>Text that starts every inlined copy of plotly.min.js in a figure's HTML.</summary>
    public const string InlineMarker = "<script>if(!window.Plotly){";

    public static string Path()
    {
        string? env = Environment.GetEnvironmentVariable("LATENTRULES_PLOTLY");
        if (!string.IsNullOrEmpty(env) && File.Exists(env)) return env;
        var starts = new[] { System.IO.Path.GetDirectoryName(typeof(PlotlyAsset).Assembly.Location), AppContext.BaseDirectory, Environment.CurrentDirectory };
        foreach (var start in starts.Where(s => !string.IsNullOrEmpty(s)))
            for (var d = new DirectoryInfo(start!); d != null; d = d.Parent)
            {
                string candidate = System.IO.Path.Combine(d.FullName, "environment", "node_modules", "plotly.js-dist-min", "plotly.min.js");
                if (File.Exists(candidate)) return candidate;
            }
        throw new FileNotFoundException("plotly.min.js not found in environment/node_modules/plotly.js-dist-min: run environment/setup.sh (or set LATENTRULES_PLOTLY)");
    }
}

namespace LatentRules.Notebooks;

/// <summary>
/// A browser library that outputs need (plotly.js for figures, KaTeX for formulas), installed from npm into
/// environment/node_modules by setup.sh. Charts and formulas must draw offline, so the first output of a kernel
/// session that needs a library carries it inline; later outputs reuse it (the page keeps it on window).
/// </summary>
public sealed class BrowserAsset
{
    public static readonly BrowserAsset Plotly =
        new("plotly.js-dist-min/plotly.min.js", "Plotly", "LATENTRULES_PLOTLY");
    public static readonly BrowserAsset Katex = new("katex/dist/katex.min.js", "katex", "LATENTRULES_KATEX");

    private readonly string _file, _global, _override;
    private int _delivered;

    private BrowserAsset(string file, string global, string environmentOverride) =>
        (_file, _global, _override) = (file, global, environmentOverride);

    /// <summary>Text that starts every inlined copy of this library in an output's HTML.</summary>
    public string InlineMarker => $"<script>if(!window.{_global}){{";

    /// <summary>
    /// The library's file: the environment variable named in the constructor, else the installed one
    /// (<see cref="Assets.NodeModules"/>).
    /// </summary>
    public string Path()
    {
        string? env = Environment.GetEnvironmentVariable(_override);
        if (!string.IsNullOrEmpty(env) && File.Exists(env)) return env;
        return Assets.NodeModules.Find(_file) ?? throw new FileNotFoundException($"{_file} not found in " +
            $"environment/node_modules: run environment/setup.sh (or set {_override})");
    }

    /// <summary>
    /// A script element that defines the library unless the page has it. AMD's define is hidden while it loads:
    /// under require.js (as notebook frontends often have) its UMD wrapper would register a module instead of
    /// setting the global.
    /// </summary>
    public string Inline() =>
        InlineMarker + "var __lrDefine=window.define;window.define=undefined;" + File.ReadAllText(Path()) + InlineEnd;

    private const string InlineEnd = "\nwindow.define=__lrDefine;}</script>\n";

    /// <summary>
    /// <paramref name="html"/> without the copies of this library that <see cref="Inline"/> put in it (for a notebook
    /// saved with its outputs, which must stay small).
    /// </summary>
    public string WithoutInline(string html)
    {
        for (int at = html.IndexOf(InlineMarker, StringComparison.Ordinal); at >= 0;
             at = html.IndexOf(InlineMarker, at, StringComparison.Ordinal))
        {
            int end = html.IndexOf(InlineEnd, at, StringComparison.Ordinal);
            if (end < 0) throw new InvalidDataException($"an inlined copy of {_file} has no end");
            html = html[..at] + html[(end + InlineEnd.Length)..];
        }
        return html;
    }

    /// <summary>
    /// <see cref="Inline"/> for the first output of a kernel session that asks; empty after that and outside a kernel.
    /// </summary>
    public string InlineOnceInKernel() =>
        Display.InNotebook && Interlocked.Exchange(ref _delivered, 1) == 0 ? Inline() : "";
}

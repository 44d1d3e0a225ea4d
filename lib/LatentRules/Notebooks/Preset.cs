namespace LatentRules.Notebooks;

/// <summary>
/// The <c>preset</c> parameter every notebook (and <c>lab experiment --preset</c>) takes: "small", the CPU defaults
/// that run on a laptop in minutes, or "paper", the study's sizes (most of them need a GPU;
/// lib/LatentRules/Experiments/README.md, "Paper scale").
/// </summary>
public static class Preset
{
    public const string Small = "small", Paper = "paper";

    /// <summary>
    /// True for "paper", false for "small"; anything else is an error naming <paramref name="parameter"/>.
    /// </summary>
    public static bool IsPaper(string? preset, string parameter = "preset") => preset switch
    {
        Small => false,
        Paper => true,
        _ => throw new ArgumentException($"{parameter}: unknown preset '{preset}'; use \"{Small}\" or \"{Paper}\""),
    };
}

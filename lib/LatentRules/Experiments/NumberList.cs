using System.Globalization;

namespace LatentRules.Experiments;

/// <summary>
/// Comma-separated lists of settings as people write them ("100,200,400", "0.1,1"): the one parser of the command
/// line's list options and the notebooks' list parameters. Seeds, which also take ranges, are <see cref="SeedList"/>.
/// </summary>
public static class NumberList
{
    /// <summary>
    /// "100,200,400" as whole numbers, an error naming <paramref name="parameter"/> for a part that is not one (a
    /// range such as 100-800 included); an empty list is left to the config's checks, which name it.
    /// </summary>
    public static IReadOnlyList<int> Ints(string text, string parameter) =>
        Parts(text).Select(p => int.TryParse(p, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture,
                out int n) ? n
            : throw new ArgumentException($"{parameter}: '{p}' is not a whole number")).ToList();

    /// <summary>
    /// "0.1,1,10" as numbers, an error naming <paramref name="parameter"/> for a part that is not one.
    /// </summary>
    public static IReadOnlyList<double> Doubles(string text, string parameter) =>
        Parts(text).Select(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out double x)
            ? x : throw new ArgumentException($"{parameter}: '{p}' is not a number")).ToList();

    private static string[] Parts(string text) =>
        text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}

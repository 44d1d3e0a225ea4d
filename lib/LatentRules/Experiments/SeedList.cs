namespace LatentRules.Experiments;

/// <summary>Seed lists as people write them: "1,2,3" or a range "1-8" (or both: "1-4,9").</summary>
public static class SeedList
{
    /// <summary>
    /// The seeds in <paramref name="text"/>, in order; an error naming <paramref name="parameter"/> for a part that is
    /// not a whole number or range (an empty or repeated list is left to the experiment's checks, which name it).
    /// </summary>
    public static IReadOnlyList<int> Parse(string text, string parameter = "--seeds")
    {
        var seeds = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            int dash = part.IndexOf('-', 1);
            if (dash < 0 && int.TryParse(part, out int one)) seeds.Add(one);
            else if (dash > 0 && int.TryParse(part[..dash], out int from)
                     && int.TryParse(part[(dash + 1)..], out int to) && from <= to && to - from < 100_000)
                seeds.AddRange(Enumerable.Range(from, to - from + 1));
            else
                throw new ArgumentException($"{parameter}: '{part}' is not a whole number or a range such as 1-8");
        }
        return seeds;
    }
}

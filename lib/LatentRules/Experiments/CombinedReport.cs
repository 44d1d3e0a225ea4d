using System.Text.Json.Nodes;

namespace LatentRules.Experiments;

/// <summary>
/// Reports of one experiment over different seeds (shards: <c>--seeds</c> subsets run on different machines)
/// combined into the report of one run over the union of their seeds: the per-seed rows are put together (ascending
/// seeds) and the summaries, the primary number and the verdict are computed again by the experiment's
/// <c>Conclude</c>; <c>seconds</c> is the shards' sum. Refused, naming the file and the field: a file that is not a
/// report, another experiment, schema, library version, definition (the first differing JSON path, e.g.
/// <c>definition.settings.steps: 200 in a.json, 300 in b.json</c>; only <c>definition.settings.seeds</c> may differ)
/// or rule list, and a seed present in two reports.
/// </summary>
public static class CombinedReport
{
    private const string What = "experiment report";

    /// <summary>
    /// The experiment a report is of ("rule-clusters", ...); an error naming the file when it is none.
    /// </summary>
    public static string ExperimentOf(string path) => Shard.Read(path).Experiment;

    /// <summary>Rule-clusters, injection or sample-sweep reports combined.</summary>
    public static ExperimentReport Vae(IReadOnlyList<string> paths)
    {
        var shards = Check(paths);
        var reports = shards.Select(s => ExperimentFiles.FromNode<ExperimentReport>(s.Node, s.Path, What)).ToList();
        for (int k = 0; k < shards.Count; k++) CheckRows(shards[k], reports[k].Runs.Select(r => r.Seed));
        var first = reports[0];
        var config = first.Config with { Seeds = Seeds(shards) };
        var runs = reports.SelectMany(r => r.Runs).OrderBy(r => r.Seed).ToList();   // stable: arms keep their order
        double seconds = reports.Sum(r => r.Seconds);
        return first.Experiment switch
        {
            RuleClustersExperiment.Name => RuleClustersExperiment.Conclude(config, first.Rules, runs, seconds),
            InjectionExperiment.Name => InjectionExperiment.Conclude(config, first.Rules, runs, seconds),
            SampleSweepExperiment.Name => SampleSweepExperiment.Conclude(config, first.Rules, runs, seconds),
            var other => throw new InvalidDataException($"{paths[0]}: experiment '{other}' is not a VAE experiment"),
        };
    }

    /// <summary>
    /// Tangent-kernel reports combined (their per-seed rows carry the cosine matrices the nulls need).
    /// </summary>
    public static TangentKernelReport TangentKernel(IReadOnlyList<string> paths)
    {
        var shards = Check(paths);
        if (shards[0].Experiment != TangentKernelExperiment.Name)
            throw new InvalidDataException($"{paths[0]}: experiment '{shards[0].Experiment}' is not tangent-kernel");
        var reports = shards.Select(s => ExperimentFiles.FromNode<TangentKernelReport>(s.Node, s.Path, What))
            .ToList();
        for (int k = 0; k < shards.Count; k++)
        {
            CheckRows(shards[k], reports[k].Seeds.Select(s => s.Seed));
            int missing = reports[k].Seeds.ToList().FindIndex(s => s.Cosines is null);
            if (missing >= 0)
                throw new InvalidDataException($"{shards[k].Path}: seeds[{missing}].cosines is missing (the FFN and " +
                    "attention cosine matrices the pooled nulls need); run that shard again with this library");
        }
        var config = reports[0].Config with { Seeds = Seeds(shards) };
        return TangentKernelExperiment.Conclude(config, reports[0].Rules, reports.SelectMany(r => r.Seeds).ToList(),
            reports.Sum(r => r.Seconds));
    }

    // One report file as read: its tree and the fields every check reads.
    private sealed record Shard(string Path, JsonObject Node, string Experiment, IReadOnlyList<int> Seeds)
    {
        public static Shard Read(string path)
        {
            var node = ExperimentFiles.ReadNode(path, What);
            string Missing(string field) => $"{path}: not an {What} (no {field})";
            string experiment = node["experiment"] is JsonValue e && e.TryGetValue(out string? name) ? name
                : throw new InvalidDataException(Missing("experiment"));
            foreach (var field in new[] { "schema", "library_version", "rules", "seeds" })
                if (node[field] is null) throw new InvalidDataException(Missing(field));
            if (node["definition"]?["settings"]?["seeds"] is not JsonArray seeds)
                throw new InvalidDataException(Missing("definition.settings.seeds"));
            try
            {
                return new Shard(path, node, experiment, seeds.Select(s => s!.GetValue<int>()).ToList());
            }
            catch (Exception x) when (x is InvalidOperationException or FormatException or NullReferenceException)
            {
                throw new InvalidDataException($"{path}: definition.settings.seeds is not a list of whole numbers");
            }
        }

        // What must be equal between shards: the report without its seeds, numbers and time.
        public JsonObject Identity() => new()
        {
            ["experiment"] = Node["experiment"]!.DeepClone(),
            ["schema"] = Node["schema"]!.DeepClone(),
            ["library_version"] = Node["library_version"]!.DeepClone(),
            ["definition"] = WithoutSeeds(Node["definition"]!),
            ["rules"] = Node["rules"]!.DeepClone(),
        };

        private static JsonNode WithoutSeeds(JsonNode definition)
        {
            var copy = definition.DeepClone();
            foreach (var name in RunParts.RunOnlySettings) copy["settings"]!.AsObject().Remove(name);
            return copy;
        }
    }

    // Every report read and compared with the first; a seed in two of them refused.
    private static List<Shard> Check(IReadOnlyList<string> paths)
    {
        if (paths.Count == 0)
            throw new ArgumentException(
                "combine: give the reports to combine, e.g. combine a.json b.json --json all.json");
        var shards = paths.Select(Shard.Read).ToList();
        if (shards[0].Node["schema"]!.ToJsonString() != ExperimentReport.CurrentSchema.ToString())
            throw new InvalidDataException($"{paths[0]}: schema {shards[0].Node["schema"]!.ToJsonString()}, this " +
                $"library reads schema {ExperimentReport.CurrentSchema}");
        var identity = shards[0].Identity();
        foreach (var shard in shards.Skip(1))
            if (JsonDifference.First(identity, shard.Identity()) is var (path, a, b))
                throw new InvalidDataException($"cannot combine: {path}: {a} in {paths[0]}, {b} in {shard.Path} " +
                    "(reports combine when only their seeds differ)");
        var owner = new Dictionary<int, string>();
        foreach (var shard in shards)
            foreach (int seed in shard.Seeds)
                if (!owner.TryAdd(seed, shard.Path))
                    throw new InvalidDataException($"cannot combine: seed {seed} is in {owner[seed]} and {shard.Path}");
        return shards;
    }

    // The rows of a report are those of the seeds its definition lists.
    private static void CheckRows(Shard shard, IEnumerable<int> rowSeeds)
    {
        var rows = rowSeeds.Distinct().Order().ToList();
        if (!rows.SequenceEqual(shard.Seeds.Order()))
            throw new InvalidDataException($"{shard.Path}: its rows have seeds {string.Join(",", rows)}, its " +
                $"definition.settings.seeds {string.Join(",", shard.Seeds)}");
    }

    private static IReadOnlyList<int> Seeds(List<Shard> shards) => shards.SelectMany(s => s.Seeds).Order().ToList();
}

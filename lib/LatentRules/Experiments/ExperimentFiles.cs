using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using LatentRules.Data;
using LatentRules.Torch.Serialization;

namespace LatentRules.Experiments;

/// <summary>
/// What every experiment shares at its edges: the JSON of its report, and the checks of its task and seeds.
/// </summary>
public static class ExperimentFiles
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,   // NaN intervals with one seed
        Converters = { new OutcomeJsonConverter(), new JsonStringEnumConverter() },
    };

    /// <summary>
    /// Writes a report as JSON (snake_case names), atomically: a temporary file renamed over the target.
    /// </summary>
    public static void Write<T>(string path, T report) =>
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(report, Json));

    /// <summary>
    /// Reads a report written by <see cref="Write"/>; a clear error naming the file when it is not one.
    /// </summary>
    public static T Read<T>(string path, string what)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path), Json)
                ?? throw new InvalidDataException($"{path}: empty {what}");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not {A(what)} ({e.Message})", e);
        }
    }

    /// <summary>The JSON <see cref="Write"/> writes for <paramref name="value"/>, as a tree (for keys and
    /// comparisons).</summary>
    public static JsonNode Node<T>(T value) => JsonSerializer.SerializeToNode(value, Json)
        ?? throw new ArgumentException("nothing to serialise");

    /// <summary>
    /// The JSON object in a file; a clear error naming the file when it is not JSON or not an object.
    /// </summary>
    public static JsonObject ReadNode(string path, string what)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                ?? throw new InvalidDataException($"{path}: not {A(what)} (not a JSON object)");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not {A(what)} ({e.Message})", e);
        }
    }

    /// <summary>A value read from a tree of <see cref="ReadNode"/>; a clear error naming the file.</summary>
    public static T FromNode<T>(JsonNode node, string path, string what)
    {
        try
        {
            return node.Deserialize<T>(Json) ?? throw new InvalidDataException($"{path}: empty {what}");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not {A(what)} ({e.Message})", e);
        }
    }

    // "a report", "an experiment report"
    private static string A(string what) => ("aeiou".Contains(what[0]) ? "an " : "a ") + what;

    /// <summary>
    /// Refuses an unknown task (or, with <paramref name="dataFile"/>, a bad file: every record is checked here, before
    /// anything trains) and an empty or repeated seed list, naming --task, --data or --seeds.
    /// </summary>
    public static void CheckTaskAndSeeds(string task, IReadOnlyList<int> seeds, string? dataFile = null)
    {
        if (dataFile is not null) Task(dataFile, task);
        else if (!ReasoningTasks.All.Any(t => t.Name == task))
            throw new ArgumentException($"--task: unknown task '{task}'; known tasks: " +
                $"{string.Join(", ", ReasoningTasks.All.Select(t => t.Name))}");
        if (seeds.Count == 0)
            throw new ArgumentException(
                "--seeds: give at least one seed, e.g. --seeds 1,2,3 (two or more for an interval)");
        if (seeds.Distinct().Count() != seeds.Count)
            throw new ArgumentException($"--seeds: a seed appears twice in {string.Join(",", seeds)}");
    }

    /// <summary>
    /// The task an experiment runs: the user's file (read and checked whole; <paramref name="task"/> must then be
    /// its name, "file:name") or the generated task of that name.
    /// </summary>
    public static IReasoningTask Task(string? dataFile, string task)
    {
        if (dataFile is null) return ReasoningTasks.Get(task);
        var data = Data.UserData.UserDataTask.Load(dataFile);
        if (task != data.Name)
            throw new ArgumentException($"--task '{task}' with --data {dataFile}: a file's task is '{data.Name}' " +
                                        "(leave --task out)");
        return data;
    }
}

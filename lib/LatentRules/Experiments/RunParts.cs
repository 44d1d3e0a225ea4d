using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace LatentRules.Experiments;

/// <summary>One saved (seed, arm) result of an experiment: what a resumed run loads instead of training.</summary>
public sealed record RunPart<T>(
    string Experiment,              // the experiment's name
    string Key,                     // RunParts.KeyOf the definition: the finding and every setting but the seeds
    string LibraryVersion,          // the library build that measured it (ExperimentReport.LibraryVersionText)
    int Seed,                       // the seed
    string Arm,                     // the arm (tangent-kernel: the encoder, "trained" or "untrained")
    IReadOnlyList<string> Rules,    // the task's rule names (label order): a report whose seeds are all loaded
    T Value);                       // the result: a RunMeasure, or (tangent-kernel) a SeedMeasure with its cosines

/// <summary>
/// The parts folder of a run: each (seed, arm) result is saved there, atomically, as soon as it is measured
/// (<c>seed-1.supervised.json</c>), so that a killed run resumes. A part is loaded instead of trained when its key
/// (<see cref="KeyOf"/>: the definition without the seed list) and its library version are this run's; any other
/// part is not used, and the log says why (it is replaced when that seed and arm are saved again). Without a folder
/// nothing is saved or loaded.
/// <code>
/// var report = RuleClustersExperiment.Run(config, Console.Out, parts: RunParts.FolderFor("out/rc.json"));
/// </code>
/// </summary>
public sealed class RunParts
{
    private readonly TextWriter? log;

    private RunParts(string? folder, string experiment, string key, TextWriter? log)
    {
        (Folder, Experiment, Key, this.log) = (folder, experiment, key, log);
    }

    /// <summary>The folder the parts are in; null: nothing is saved or loaded.</summary>
    public string? Folder { get; }

    /// <summary>The experiment's name, recorded in every part.</summary>
    public string Experiment { get; }

    /// <summary>The definition's key (<see cref="KeyOf"/>), recorded in every part.</summary>
    public string Key { get; }

    /// <summary>
    /// The parts of a run of <paramref name="definition"/> in <paramref name="folder"/> (null: none).
    /// </summary>
    public static RunParts Open<TSettings>(string? folder, ExperimentDefinition<TSettings> definition,
        TextWriter? log = null) => new(folder, definition.Finding.Experiment, KeyOf(definition), log);

    /// <summary>The parts folder beside a report: <c>out/rc.json</c> -> <c>out/rc.parts</c>.</summary>
    public static string FolderFor(string reportPath) => Path.Combine(Path.GetDirectoryName(reportPath) ?? "",
        Path.GetFileNameWithoutExtension(reportPath) + ".parts");

    /// <summary>
    /// Settings that say how a run is carried out, not what it measures: left out of a part's key and of the
    /// comparison of shards (<see cref="CombinedReport"/>).
    /// </summary>
    public static readonly IReadOnlyList<string> RunOnlySettings = new[] { "seeds", "workers" };

    /// <summary>
    /// The definition as a report writes it, without <c>settings.seeds</c> and <c>settings.workers</c>
    /// (<see cref="RunOnlySettings"/>): what every seed's part shares. With a
    /// <c>--data</c> file, the SHA-256 of its bytes is added (<c>data_file_sha256</c>), so an edited file is not
    /// mistaken for the one the saved parts were measured on.
    /// </summary>
    public static JsonObject WithoutSeeds<TSettings>(ExperimentDefinition<TSettings> definition)
    {
        var node = ExperimentFiles.Node(definition).AsObject();
        var settings = node["settings"]!.AsObject();
        foreach (var name in RunOnlySettings) settings.Remove(name);
        if (settings["data_file"]?.GetValue<string>() is { } file && File.Exists(file))
            settings["data_file_sha256"] = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)));
        return node;
    }

    /// <summary>SHA-256 (hex) of the compact JSON of <see cref="WithoutSeeds"/>.</summary>
    public static string KeyOf<TSettings>(ExperimentDefinition<TSettings> definition) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(WithoutSeeds(definition).ToJsonString())));

    /// <summary>
    /// The file of one seed and arm (characters other than letters, digits, '.', '=', '-' become '_').
    /// </summary>
    public string PathOf(int seed, string arm) => Path.Combine(Folder ?? "",
        $"seed-{seed}.{new string(arm.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '=' or '-' ? c : '_')
            .ToArray())}.json");

    /// <summary>
    /// The saved part of a seed and arm when there is one of this definition and library version (logged as loaded);
    /// null otherwise (a part that is there but not used is logged with the reason).
    /// </summary>
    public RunPart<T>? Load<T>(int seed, string arm)
    {
        if (Folder is null) return null;
        string path = PathOf(seed, arm);
        if (!File.Exists(path)) return null;
        string? why;
        RunPart<T>? part = null;
        try
        {
            part = ExperimentFiles.Read<RunPart<T>>(path, $"{Experiment} part");
            why = part.Experiment != Experiment ? $"it is a part of {part.Experiment}, not {Experiment}"
                : part.Key != Key ? $"it belongs to another definition (a setting other than the seed list differs: " +
                                    $"key {Short(part.Key)}, this run's {Short(Key)})"
                : part.LibraryVersion != ExperimentReport.LibraryVersionText
                    ? $"library version {part.LibraryVersion} measured it, this is " +
                      ExperimentReport.LibraryVersionText
                : part.Seed != seed || part.Arm != arm ? $"it holds seed {part.Seed}, {part.Arm}"
                : part.Value is null ? "it holds no value"
                : null;
        }
        catch (InvalidDataException e)
        {
            why = e.Message;
        }
        if (why is null)
        {
            log?.WriteLine($"seed {seed}, {arm}: loaded from {path}");
            return part;
        }
        log?.WriteLine($"{path}: ignored, {why}; it is replaced when seed {seed}, {arm} is saved");
        return null;
    }

    /// <summary>The saved parts of a seed's arms, in their order (null where an arm is to be measured).</summary>
    public RunPart<T>?[] LoadSeed<T>(int seed, IEnumerable<string> arms) =>
        arms.Select(arm => Load<T>(seed, arm)).ToArray();

    /// <summary>Saves one seed and arm's result, atomically (nothing without a folder).</summary>
    public void Save<T>(int seed, string arm, IReadOnlyList<string> rules, T value)
    {
        if (Folder is null) return;
        ExperimentFiles.Write(PathOf(seed, arm), new RunPart<T>(Experiment, Key, ExperimentReport.LibraryVersionText,
            seed, arm, rules, value));
    }

    private static string Short(string key) => key.Length > 12 ? key[..12] : key;
}

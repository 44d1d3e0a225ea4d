namespace LatentRules.Experiments;

/// <summary>
/// What <see cref="SeedWorkers"/> reads of an experiment's settings (<see cref="ExperimentConfig"/>,
/// <see cref="TangentKernelConfig"/>): the seeds to deal out, how many workers on which device, and the data to check
/// before any worker starts.
/// </summary>
public interface ISeedRunSettings
{
    string Task { get; }
    string? DataFile { get; }
    IReadOnlyList<int> Seeds { get; }
    string Device { get; }
    int Workers { get; }
}

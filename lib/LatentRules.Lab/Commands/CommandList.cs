namespace LatentRules.Lab.Commands;

/// <summary>Every verb the lab knows. Add one line per new command.</summary>
public static class CommandList
{
    public static IReadOnlyList<ILabCommand> All { get; } = new ILabCommand[]
    {
        new RunCommand(),
        new PublishCommand(),
        new TokenizeCommand(),
        new DownloadCommand(),
        new DatasetsCommand(),
        new BenchCommand(),
        new ExperimentCommand(),
    };
}

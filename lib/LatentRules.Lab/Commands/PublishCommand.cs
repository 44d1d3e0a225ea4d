using System.Diagnostics;
using System.Globalization;
using LatentRules.Lab.Notebooks;

namespace LatentRules.Lab.Commands;

/// <summary>
/// `publish [NB.ipynb ...] [--timeout-per-cell S]`: runs each notebook (default: every one in notebooks/) top to
/// bottom at its defaults in the .NET Interactive kernel, as a fresh clone would (try-this tables and stored models in
/// an empty scratch folder), and writes it back with its outputs in the form the repository keeps
/// (<see cref="PublishedNotebook"/>). A failing cell or a copy over the size limit leaves the notebook as it was; the
/// partly executed run is saved in the scratch folder, whose path is printed.
/// </summary>
public sealed class PublishCommand : ILabCommand
{
    public string Name => "publish";
    public string Summary =>
        "run notebooks at their defaults and keep their outputs (charts as PNG too): publish [NB.ipynb ...] " +
        "[--timeout-per-cell S]";

    public int Run(ParsedArgs args)
    {
        args.RejectUnknown(new[] { "timeout-per-cell" });
        if (args.Parameters.Count > 0)
            throw new UsageException("publish runs notebooks at their defaults; -p is for `run`");
        TimeSpan? timeout = args.Has("timeout-per-cell")
            ? TimeSpan.FromSeconds(args.Double("timeout-per-cell", 0)) : null;
        var paths = args.Positionals.Count > 0 ? args.Positionals.ToList()
            : Directory.GetFiles(Path.Combine(KernelTool.Root(Directory.GetCurrentDirectory()), "notebooks"),
                "*.ipynb").Where(p => !Path.GetFileName(p).StartsWith('.')).OrderBy(p => p, StringComparer.Ordinal)
                .ToList();
        var notebooks = paths.Select(NotebookDocument.Load).ToList();     // every path checked before any run
        foreach (var notebook in notebooks)
            if (Publish(notebook, timeout) != 0) return 1;
        return 0;
    }

    private static int Publish(NotebookDocument notebook, TimeSpan? timeout)
    {
        string scratch = Directory.CreateTempSubdirectory("lr-publish-").FullName;
        ParameterInjection.Inject(notebook, PublishedNotebook.FreshRunPlaces(notebook, scratch));
        Console.Error.WriteLine($"publishing {notebook.Path} (scratch folder {scratch})");
        var watch = Stopwatch.StartNew();
        try { new NotebookRunner(Console.Error) { TimeoutPerCell = timeout }.Run(notebook); }
        catch (CellFailedException e)
        {
            string partial = Path.Combine(scratch, Path.GetFileName(notebook.Path));
            notebook.Save(partial);
            Console.Error.WriteLine($"{notebook.Path}: {e.Message}; left unchanged (the partial run: {partial})");
            return 1;
        }
        int charts = PublishedNotebook.Finish(notebook, PublishedNotebook.RenderPng);
        var problems = PublishedNotebook.Problems(notebook);
        if (problems.Count > 0)
        {
            string refused = Path.Combine(scratch, Path.GetFileName(notebook.Path));
            notebook.Save(refused);
            Console.Error.WriteLine($"{notebook.Path}: left unchanged (the refused copy: {refused}):\n  " +
                string.Join("\n  ", problems));
            return 1;
        }
        notebook.Save(notebook.Path);
        long bytes = new FileInfo(notebook.Path).Length;
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"wrote {notebook.Path}: {bytes / 1e6:F2} MB, {charts} charts, " +
            $"run in {watch.Elapsed.TotalMinutes:F1} min"));
        Directory.Delete(scratch, recursive: true);
        return 0;
    }
}

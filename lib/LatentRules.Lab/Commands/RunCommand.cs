using System.Globalization;
using LatentRules.Lab.Notebooks;

namespace LatentRules.Lab.Commands;

/// <summary>
/// `run NOTEBOOK.ipynb [--out OTHER.ipynb] [--html REPORT.html] [-p name=value ...] [--timeout-per-cell S]`:
/// executes the notebook headlessly in the .NET Interactive kernel (the one VS Code uses) and writes its outputs
/// back (or to --out). A failing cell, a cell over its time limit or a kernel that dies stops the run; the partly
/// executed notebook is still written, the message names the notebook and the cell, and the exit code is 1.
/// </summary>
public sealed class RunCommand : ILabCommand
{
    public string Name => "run";
    public string Summary =>
        "run a notebook headlessly: run NB.ipynb [--out X.ipynb] [--html R.html] [-p name=value] " +
        "[--timeout-per-cell S]";

    public int Run(ParsedArgs args)
    {
        if (args.Positionals.Count != 1) throw new UsageException("run expects one notebook path");
        string input = args.Positionals[0];
        string output = args.Option("out") ?? input;
        string? html = args.Option("html");
        TimeSpan? timeout = args.Has("timeout-per-cell")
            ? TimeSpan.FromSeconds(args.Double("timeout-per-cell", 0)) : null;

        var notebook = NotebookDocument.Load(input);
        try { ParameterInjection.Inject(notebook, args.Parameters); }
        catch (ArgumentException e) { throw new ArgumentException($"{input}: {e.Message}", e); }
        var runner = new NotebookRunner(Console.Error) { TimeoutPerCell = timeout };
        Console.Error.WriteLine($"running {input} in the .NET Interactive kernel");
        try
        {
            runner.Run(notebook);
            return 0;
        }
        catch (CellFailedException e)
        {
            Console.Error.WriteLine($"{input}: {e.Message}");
            return 1;
        }
        finally
        {
            notebook.Save(output);
            Console.Error.WriteLine($"wrote {output}");
            if (html is not null)
            {
                HtmlReport.Write(notebook, html);
                Console.Error.WriteLine($"wrote {html}");
            }
        }
    }
}

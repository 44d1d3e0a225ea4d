using System.Diagnostics;
using System.Text.Json.Nodes;

namespace LatentRules.Lab.Notebooks;

/// <summary>Thrown when a cell fails or the kernel stops; the notebook holds the error output on that cell.</summary>
public sealed class CellFailedException(int cell, string message) : Exception(message)
{
    public int Cell { get; } = cell;
}

/// <summary>
/// Runs a notebook's code cells in order in a fresh .NET Interactive kernel (<see cref="InteractiveKernel"/>),
/// the kernel VS Code uses, and writes what each cell produced back into the notebook in nbformat 4 form.
/// The first failing cell stops the run; a cell over <see cref="TimeoutPerCell"/> stops the kernel.
/// </summary>
public sealed class NotebookRunner(TextWriter log)
{
    public TimeSpan? TimeoutPerCell { get; init; }

    /// <summary>How long the kernel may take to start (the first start after a restore compiles for a while).</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromMinutes(3);

    public void Run(NotebookDocument notebook)
    {
        notebook.ClearOutputs();
        string folder = Path.GetDirectoryName(Path.GetFullPath(notebook.Path))!;
        var codeCells = Enumerable.Range(0, notebook.Cells.Count).Where(k => notebook.CellType(k) == "code").ToList();
        if (codeCells.Count == 0) return;

        var watch = Stopwatch.StartNew();
        log.Write("starting the .NET Interactive kernel ... ");
        InteractiveKernel kernel;
        try { kernel = InteractiveKernel.Start(folder, KernelTool.Command(KernelTool.Root(folder)), StartTimeout); }
        catch (Exception e) when (e is KernelException or TimeoutException)
        {
            log.WriteLine("FAILED");
            var outputs = new CellOutputs((JsonObject)notebook.Cells[codeCells[0]]!, 1);
            outputs.Error("KernelStartFailed", e.Message);
            throw new CellFailedException(codeCells[0] + 1,
                $"the kernel did not start, so cell {codeCells[0] + 1} did not run: {e.Message}");
        }
        log.WriteLine($"ready ({watch.Elapsed.TotalSeconds:F1} s)");

        using (kernel)
            for (int n = 0; n < codeCells.Count; n++)
                RunCell(kernel, notebook, codeCells[n], n + 1, codeCells.Count);
    }

    private void RunCell(InteractiveKernel kernel, NotebookDocument notebook, int index, int count, int total)
    {
        int cell = index + 1;
        var outputs = new CellOutputs((JsonObject)notebook.Cells[index]!, count);
        log.Write($"cell {cell} ({count}/{total}) ... ");
        var watch = Stopwatch.StartNew();
        string? failure = null;
        try
        {
            if (!kernel.Submit(notebook.Source(index), outputs.Add, TimeoutPerCell))
                failure = $"cell {cell} failed: {outputs.LastError}";
        }
        catch (TimeoutException)
        {
            kernel.Dispose();
            failure = $"cell {cell} did not finish within {TimeoutPerCell!.Value.TotalSeconds:g} s " +
                "(--timeout-per-cell); the kernel was stopped";
            outputs.Error("CellTimeout", failure);
        }
        catch (KernelException e)
        {
            failure = $"cell {cell}: {e.Message}";
            outputs.Error("KernelDied", failure);
        }
        if (failure is not null)
        {
            log.WriteLine("FAILED");
            throw new CellFailedException(cell, failure);
        }
        log.WriteLine($"ok ({watch.Elapsed.TotalSeconds:F1} s)");
    }
}

using System.Diagnostics;
using System.Globalization;
using LatentRules.Torch;

namespace LatentRules.Experiments;

/// <summary>
/// An experiment's seeds trained side by side in child processes (the lab's <c>experiment</c> command with this run's
/// settings, <c>--settings</c>), dealt round-robin, each worker with an equal share of the cores as libtorch threads
/// (LATENTRULES_THREADS), all saving into one parts folder (<see cref="RunParts"/>). The run then goes on as usual and
/// loads every saved part instead of training it. A small model's training keeps about one core busy whatever
/// libtorch's thread count, so on 2 cores two workers train two seeds in about the time of one
/// (lib/LatentRules.Lab/Benchmarks/README.md, "workers"). The report equals a one-process run at the workers' thread
/// count, apart from timings. Processes, not threads: TorchSharp 0.107 lets the garbage collector free a Scalar that a
/// native call on another thread is still reading (measured: a crash in masked_fill with two seeds on two threads).
/// </summary>
public static class SeedWorkers
{
    /// <summary>The workers a run uses: the setting when above 0; 0: one per core on the CPU, one on a GPU.</summary>
    public static int Count(int workers, string device) => workers > 0 ? workers
        : Devices.Resolve(device).type == TorchSharp.DeviceType.CPU ? Environment.ProcessorCount : 1;

    /// <summary>Seeds dealt round-robin to at most <paramref name="workers"/> shards (none empty).</summary>
    public static List<List<int>> Shards(IReadOnlyList<int> seeds, int workers)
    {
        if (workers < 1) throw new ArgumentException($"--workers must be at least 1, got {workers}");
        int count = Math.Max(1, Math.Min(workers, seeds.Count));
        return Enumerable.Range(0, count).Select(k => seeds.Where((_, i) => i % count == k).ToList()).ToList();
    }

    /// <summary>
    /// A run of <paramref name="experiment"/>: when more than one worker is asked for and a lab built from this library
    /// is found (<see cref="WorkerLauncher.Find"/>), its seeds are first trained by the workers into the parts folder
    /// (<paramref name="parts"/>, or a temporary one deleted afterwards; nothing else is written there); then
    /// <paramref name="run"/> runs with that folder and loads what they saved. Otherwise <paramref name="run"/> trains
    /// the seeds one at a time (and the log says why when workers were asked for). <paramref name="run"/> is also
    /// given the clock started here, so that a report's time is the whole run's, the workers' included. The data is
    /// checked (<see cref="ExperimentFiles.Task"/>) before any worker starts. A worker that fails stops the run with an
    /// error naming its seeds and its last error lines; the parts saved in a given folder stay, so the same run
    /// resumes.
    /// </summary>
    public static TReport Spread<TSettings, TReport>(string experiment, TSettings settings, string? parts,
        TextWriter? log, Func<string?, Stopwatch, TReport> run, WorkerLauncher? launcher = null)
        where TSettings : ISeedRunSettings
    {
        var clock = Stopwatch.StartNew();
        var shards = Shards(settings.Seeds, Count(settings.Workers, settings.Device));
        if (shards.Count < 2) return run(parts, clock);
        var output = log ?? Console.Out;
        string why = "";
        launcher ??= WorkerLauncher.Find(out why);
        if (launcher is null)
        {
            output.WriteLine($"one seed at a time: {why}");
            return run(parts, clock);
        }
        ExperimentFiles.Task(settings.DataFile, settings.Task);
        string folder = parts ?? Path.Combine(Path.GetTempPath(), $"latentrules-{experiment}-{Guid.NewGuid():N}");
        // the settings and the workers' own reports: beside nothing of the user's, gone afterwards
        string scratch = Path.Combine(Path.GetTempPath(), $"latentrules-workers-{Guid.NewGuid():N}");
        try
        {
            string file = Path.Combine(scratch, "settings.json");
            ExperimentFiles.Write(file, settings);
            int threads = Math.Max(1, Environment.ProcessorCount / shards.Count);
            output.WriteLine($"{shards.Count} workers, {threads} libtorch thread(s) each: seeds " +
                             string.Join(" | ", shards.Select(s => string.Join(",", s))));
            var running = shards.Select((shard, k) => Start(launcher, new[]
            {
                "experiment", experiment, "--settings", file, "--seeds", string.Join(",", shard), "--workers", "1",
                "--parts", folder, "--json", Path.Combine(scratch, $"worker-{k + 1}.json"),
            }, threads, $"seeds {string.Join(",", shard)}", output)).ToList();
            var failed = running.Select(r => r.Wait()).Where(f => f is not null).ToList();
            if (failed.Count > 0)
                throw new ArgumentException(string.Join("; ", failed) + (parts is null || !Directory.Exists(parts)
                    ? "" : $". The parts the workers saved are kept in {parts}: run again to resume"));
            return run(folder, clock);
        }
        finally
        {
            if (Directory.Exists(scratch)) Directory.Delete(scratch, recursive: true);
            if (parts is null && Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    private static Worker Start(WorkerLauncher launcher, IEnumerable<string> args, int threads, string name,
        TextWriter log)
    {
        var info = new ProcessStartInfo(launcher.FileName)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in launcher.Prefix.Concat(args)) info.ArgumentList.Add(a);
        info.Environment["LATENTRULES_THREADS"] = threads.ToString(CultureInfo.InvariantCulture);
        return new Worker(Process.Start(info) ?? throw new IOException($"could not start {launcher.FileName}"),
            name, log);
    }

    // One child: its per-part lines ("seed 3, ...") go to the log as they come, prefixed with its seeds; the last
    // lines of its error stream are kept for the message if it fails; the rest (tables, progress) is dropped.
    private sealed class Worker
    {
        private readonly Process process;
        private readonly string name;
        private readonly List<string> errors = new();
        private readonly Task reading;

        public Worker(Process process, string name, TextWriter log)
        {
            (this.process, this.name) = (process, name);
            reading = Task.WhenAll(Forward(process.StandardOutput, log), Keep(process.StandardError));
        }

        private async Task Forward(StreamReader output, TextWriter log)
        {
            while (await output.ReadLineAsync() is { } line)
                if (line.StartsWith("seed ", StringComparison.Ordinal))
                    lock (log) log.WriteLine($"[{name}] {line}");
        }

        private async Task Keep(StreamReader error)
        {
            while (await error.ReadLineAsync() is { } line)
                if (line.Length > 0)
                {
                    errors.Add(line);
                    if (errors.Count > 6) errors.RemoveAt(0);
                }
        }

        /// <summary>Null when the worker succeeded, else what it said.</summary>
        public string? Wait()
        {
            process.WaitForExit();
            reading.Wait();
            int code = process.ExitCode;
            process.Dispose();
            return code == 0 ? null : $"the worker for {name} exited with code {code}: {string.Join(" / ", errors)}";
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace LatentRules.Lab.Commands;

/// <summary>
/// How to start this command line again as a child process: the program and the arguments before the verb.
/// </summary>
public sealed record WorkerLauncher(string FileName, IReadOnlyList<string> Prefix)
{
    /// <summary>
    /// This process: <c>dotnet LatentRules.Lab.dll</c> when the host is dotnet (dotnet run, dotnet x.dll), else the
    /// app host itself.
    /// </summary>
    public static WorkerLauncher Current()
    {
        string host = Environment.ProcessPath ?? "dotnet";
        return Path.GetFileNameWithoutExtension(host) == "dotnet"
            ? new WorkerLauncher(host, new[] { Assembly.GetEntryAssembly()!.Location })
            : new WorkerLauncher(host, Array.Empty<string>());
    }
}

/// <summary>
/// <c>--workers N</c>: an experiment's seeds dealt round-robin to N child processes of the same command, each with an
/// equal share of the cores as libtorch threads (LATENTRULES_THREADS), all saving into the run's one parts folder. A
/// small model's training keeps about one core busy whatever libtorch's thread count, so on 2 cores two workers train
/// two seeds in about the time of one (lib/LatentRules.Lab/Benchmarks/README.md, "workers"). The parent then runs the
/// whole seed list itself, which loads every saved part and trains nothing: its report is the one a single process at
/// the workers' thread count gives, apart from timings. Processes, not threads: TorchSharp 0.107 lets the garbage
/// collector free a Scalar that a native call on another thread is still reading (measured: a crash in masked_fill
/// with two seeds on two threads of one process).
/// </summary>
public static class SeedWorkers
{
    /// <summary>Seeds dealt round-robin to at most <paramref name="workers"/> shards (none empty).</summary>
    public static List<List<int>> Shards(IReadOnlyList<int> seeds, int workers)
    {
        if (workers < 1) throw new ArgumentException($"--workers must be at least 1, got {workers}");
        int count = Math.Max(1, Math.Min(workers, seeds.Count));
        return Enumerable.Range(0, count).Select(k => seeds.Where((_, i) => i % count == k).ToList()).ToList();
    }

    /// <summary>
    /// Runs one child per shard and waits for all of them; throws naming the seeds of each worker that failed, with
    /// the last lines of its error output (the parts the workers saved are kept, so a rerun resumes).
    /// </summary>
    public static void Run(WorkerLauncher launcher, string verb, ParsedArgs args, IReadOnlyList<List<int>> shards,
        string parts, TextWriter log)
    {
        int threads = Math.Max(1, Environment.ProcessorCount / shards.Count);
        log.WriteLine($"{shards.Count} workers, {threads} libtorch thread(s) each: seeds " +
                      string.Join(" | ", shards.Select(s => string.Join(",", s))));
        var running = shards.Select((shard, k) => Start(launcher, verb, args, shard, threads,
            Path.Combine(parts, "workers", $"worker-{k + 1}.json"), parts, log)).ToList();
        var failed = running.Select(r => r.Wait()).Where(f => f is not null).ToList();
        if (failed.Count > 0)
            throw new ArgumentException(string.Join("; ", failed) +
                                        $". The parts the workers saved are kept in {parts}: run the command again " +
                                        "to resume");
    }

    private static Worker Start(WorkerLauncher launcher, string verb, ParsedArgs args, IReadOnlyList<int> shard,
        int threads, string json, string parts, TextWriter log)
    {
        var info = new ProcessStartInfo(launcher.FileName)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in launcher.Prefix) info.ArgumentList.Add(a);
        info.ArgumentList.Add(verb);
        foreach (var a in args.Tokens(except: new[] { "workers", "seeds", "parts", "json" })) info.ArgumentList.Add(a);
        foreach (var a in new[] { "--seeds", string.Join(",", shard), "--parts", parts, "--json", json })
            info.ArgumentList.Add(a);
        info.Environment["LATENTRULES_THREADS"] = threads.ToString(CultureInfo.InvariantCulture);
        return new Worker(Process.Start(info) ?? throw new IOException($"could not start {launcher.FileName}"),
            $"seeds {string.Join(",", shard)}", log);
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

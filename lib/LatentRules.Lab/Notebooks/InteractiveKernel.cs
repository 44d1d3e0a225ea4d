using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LatentRules.Lab.Notebooks;

/// <summary>Thrown when the kernel cannot be started, dies, or stops answering.</summary>
public sealed class KernelException(string message) : Exception(message);

/// <summary>One event the kernel sent about a submission (eventType and its body).</summary>
public sealed record KernelEvent(string Type, JsonObject Body);

/// <summary>
/// The .NET Interactive kernel that VS Code runs (the dotnet tool Microsoft.dotnet-interactive pinned in
/// .config/dotnet-tools.json, see <see cref="KernelTool"/>), started as `dotnet-interactive stdio` and driven over
/// its JSON-lines protocol: one command envelope per line in, one event envelope per line out (lines that are not
/// JSON, such as a banner, are kept for error messages). No HTTP listener is started (the --http-port options are
/// not passed). The kernel's working directory is the notebook's folder, as in VS Code. Disposing kills the kernel
/// and every process it started.
/// </summary>
public sealed class InteractiveKernel : IDisposable
{
    private readonly Process _process;
    private readonly BlockingCollection<JsonObject> _events = new();
    // what the kernel wrote that is not an event: errors, banners
    private readonly StringBuilder _log = new();
    private Thread? _stderrReader, _stdoutReader;
    private int _nextToken;

    private InteractiveKernel(Process process) => _process = process;

    /// <summary>Starts the kernel and waits until it says it is ready.</summary>
    /// <param name="workingDirectory">the kernel's current directory (the notebook's folder)</param>
    /// <param name="command">the kernel program (<see cref="KernelTool.Command"/>)</param>
    public static InteractiveKernel Start(string workingDirectory, KernelCommand command, TimeSpan startTimeout)
    {
        var info = new ProcessStartInfo(command.FileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
            UseShellExecute = false, StandardOutputEncoding = Encoding.UTF8,
            StandardInputEncoding = new UTF8Encoding(false),
        };
        foreach (var arg in command.Arguments.Concat(
            new[] { "stdio", "--default-kernel", "csharp", "--working-dir", workingDirectory }))
            info.ArgumentList.Add(arg);
        info.Environment["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_INTERACTIVE_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        Process process;
        try { process = Process.Start(info) ?? throw new KernelException($"could not start {command.FileName}"); }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new KernelException($"could not start {command.FileName}: {e.Message}");
        }
        var kernel = new InteractiveKernel(process);
        kernel.StartReaders();
        try
        {
            kernel.WaitFor(e => e["eventType"]?.GetValue<string>() == "KernelReady", startTimeout, "start");
        }
        catch
        {
            kernel.Dispose();
            throw;
        }
        return kernel;
    }

    private void StartReaders()
    {
        _stdoutReader = new Thread(() =>
        {
            string? line;
            while ((line = _process.StandardOutput.ReadLine()) is not null)
            {
                if (!line.StartsWith('{')) { Log(line); continue; }      // banner or log text, not an event
                try { if (JsonNode.Parse(line) is JsonObject e) _events.Add(e); }
                catch (JsonException) { }                                 // a partial log line that looked like JSON
            }
            _events.CompleteAdding();
        })
        { IsBackground = true, Name = "kernel stdout" };
        _stdoutReader.Start();
        _stderrReader = new Thread(() =>
        {
            string? line;
            while ((line = _process.StandardError.ReadLine()) is not null) Log(line);
        })
        { IsBackground = true, Name = "kernel stderr" };
        _stderrReader.Start();
    }

    /// <summary>
    /// Submits C# code and calls <paramref name="onEvent"/> for each event it produces, in order, until the
    /// kernel reports the command succeeded (true) or failed (false). Throws <see cref="TimeoutException"/> when
    /// <paramref name="timeout"/> passes first and <see cref="KernelException"/> when the kernel exits.
    /// </summary>
    public bool Submit(string code, Action<KernelEvent> onEvent, TimeSpan? timeout)
    {
        string token = $"lab-{Interlocked.Increment(ref _nextToken)}";
        var envelope = new JsonObject
        {
            ["token"] = token, ["commandType"] = "SubmitCode",
            ["command"] = new JsonObject { ["code"] = code, ["targetKernelName"] = "csharp" },
        };
        try
        {
            _process.StandardInput.WriteLine(envelope.ToJsonString());
            _process.StandardInput.Flush();
        }
        catch (IOException) { throw Died("accept the cell"); }
        bool? outcome = null;
        WaitFor(e =>
        {
            string? eventToken = e["command"]?["token"]?.GetValue<string>();
            if (eventToken is null
                || !(eventToken == token || eventToken.StartsWith(token + ".", StringComparison.Ordinal)))
                return false;
            string type = e["eventType"]?.GetValue<string>() ?? "";
            if (eventToken == token && type is "CommandSucceeded" or "CommandFailed")
            {
                if (type == "CommandFailed")
                    onEvent(new KernelEvent(type, e["event"] as JsonObject ?? new JsonObject()));
                outcome = type == "CommandSucceeded";
                return true;
            }
            if (eventToken == token) onEvent(new KernelEvent(type, e["event"] as JsonObject ?? new JsonObject()));
            return false;
        }, timeout, "run the cell");
        return outcome!.Value;
    }

    private void WaitFor(Func<JsonObject, bool> done, TimeSpan? timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            int wait = timeout is { } t ? (int)Math.Max(0, (t - clock.Elapsed).TotalMilliseconds) : Timeout.Infinite;
            if (_events.TryTake(out var e, wait))
            {
                if (done(e)) return;
                continue;
            }
            if (_events.IsCompleted) throw Died(what);                    // stdout closed: the kernel is gone
            throw new TimeoutException($"the kernel did not {what} within {timeout!.Value.TotalSeconds:g} s");
        }
    }

    private KernelException Died(string what)
    {
        _process.WaitForExit(2000);
        _stderrReader?.Join(2000);                                        // the last error lines, read to the end
        _stdoutReader?.Join(2000);
        string code = _process.HasExited ? $"exit code {_process.ExitCode}" : "still running, stdout closed";
        string tail;
        lock (_log) tail = string.Join('\n', _log.ToString().Split('\n').TakeLast(15)).Trim();
        return new KernelException($"the kernel exited before it could {what} ({code})" +
            (tail.Length > 0 ? $"; the last it wrote:\n{tail}" : ""));
    }

    private void Log(string line)
    {
        lock (_log)
        {
            if (_log.Length > 64_000) _log.Remove(0, 32_000);                // keep the tail of a chatty kernel
            _log.AppendLine(line);
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException) { }                            // never started or already reaped
        _process.Dispose();
    }
}

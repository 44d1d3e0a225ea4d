using System.Diagnostics;
using System.Globalization;
using LatentRules.Notebooks;

namespace LatentRules.Progress;

/// <summary>
/// Progress of a long loop (steps, examples/s, ETA, current loss). In a notebook it updates one output in
/// place; on a terminal it redraws one line; when output is redirected (CI logs) it prints a plain line at
/// most every 10% of the work or every 30 seconds.
/// </summary>
public sealed class ProgressReporter : IDisposable
{
    private enum Mode { Notebook, Terminal, Lines }

    private readonly long _total;
    private readonly string _label;
    private readonly Func<TimeSpan> _clock;
    private readonly Mode _mode;
    private readonly TextWriter _out;
    private DisplayHandle? _handle;
    private long _done, _examples;
    private double? _loss;
    private string? _extra;
    private TimeSpan? _lastShown;                     // null until the first line is shown
    private long _lastShownStep = -1;

    /// <param name="total">steps expected (0 if unknown)</param>
    /// <param name="label">shown in front, e.g. "epoch 1"</param>
    /// <param name="output">where terminal or line output goes (Console.Out by default)</param>
    /// <param name="clock">elapsed time source (tests pass a fake one)</param>
    public ProgressReporter(long total, string label = "", TextWriter? output = null, Func<TimeSpan>? clock = null)
    {
        _total = total;
        _label = label;
        _out = output ?? Console.Out;
        var watch = Stopwatch.StartNew();
        _clock = clock ?? (() => watch.Elapsed);
        _mode = Display.InNotebook
            ? Mode.Notebook
            : output is null && !Console.IsOutputRedirected ? Mode.Terminal : Mode.Lines;
    }

    /// <summary>
    /// Records <paramref name="steps"/> finished steps covering <paramref name="examples"/> examples.
    /// </summary>
    public void Step(long steps = 1, long examples = 0, double? loss = null, string? extra = null)
    {
        _done += steps;
        _examples += examples;
        if (loss is not null) _loss = loss;
        if (extra is not null) _extra = extra;
        var now = _clock();
        bool finished = _total > 0 && _done >= _total;
        bool due = _mode switch
        {
            Mode.Lines => finished || Since(now) >= TimeSpan.FromSeconds(30) || (_total > 0 && TenthsCrossed()),
            _ => finished || Since(now) >= TimeSpan.FromMilliseconds(250),
        };
        if (due) Show(now);
    }

    private TimeSpan Since(TimeSpan now) => _lastShown is { } last ? now - last : TimeSpan.MaxValue;

    private bool TenthsCrossed() => _done * 10 / _total > Math.Max(_lastShownStep, 0) * 10 / _total;

    private void Show(TimeSpan now)
    {
        _lastShown = now;
        _lastShownStep = _done;
        string text = Format(now);
        switch (_mode)
        {
            case Mode.Notebook:
                if (_handle is null) _handle = Display.Show(text); else _handle.Update(text);
                break;
            case Mode.Terminal:
                _out.Write("\r" + text.PadRight(Math.Min(Console.BufferWidth - 1, 110)));
                if (_total > 0 && _done >= _total) _out.WriteLine();
                break;
            default:
                _out.WriteLine(text);
                break;
        }
    }

    /// <summary>The progress line: label, bar, count, rates, ETA and loss.</summary>
    public string Format(TimeSpan elapsed)
    {
        var inv = CultureInfo.InvariantCulture;
        var parts = new List<string>();
        if (_label.Length > 0) parts.Add(_label);
        if (_total > 0)
        {
            int filled = (int)Math.Min(20, _done * 20 / _total);
            parts.Add("[" + new string('#', filled) + new string('.', 20 - filled) + "]");
            parts.Add($"{_done}/{_total}");
        }
        else parts.Add($"{_done}");
        double seconds = Math.Max(elapsed.TotalSeconds, 1e-9);
        parts.Add(string.Format(inv, "{0:F1} steps/s", _done / seconds));
        if (_examples > 0) parts.Add(string.Format(inv, "{0:F0} examples/s", _examples / seconds));
        if (_total > 0 && _done > 0 && _done < _total)
            parts.Add("ETA " + Clock(TimeSpan.FromSeconds(seconds * (_total - _done) / _done)));
        else
            parts.Add("elapsed " + Clock(elapsed));
        if (_loss is double l) parts.Add(string.Format(inv, "loss {0:F4}", l));
        if (_extra is not null) parts.Add(_extra);
        return string.Join("  ", parts);
    }

    private static string Clock(TimeSpan t) => t.TotalHours >= 1
        ? t.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : t.ToString(@"m\:ss", CultureInfo.InvariantCulture);

    public void Dispose()
    {
        if (_lastShownStep != _done) Show(_clock());
        if (_mode == Mode.Terminal && !(_total > 0 && _done >= _total)) _out.WriteLine();
    }
}

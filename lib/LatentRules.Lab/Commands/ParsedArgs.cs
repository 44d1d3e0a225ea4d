namespace LatentRules.Lab.Commands;

/// <summary>
/// Arguments after the verb: positionals, `--name value` options, `--flag` switches and repeated
/// `-p name=value` parameters (papermill style).
/// </summary>
public sealed class ParsedArgs
{
    private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    public List<string> Positionals { get; } = new();
    public List<KeyValuePair<string, string>> Parameters { get; } = new();

    /// <summary>Parses <paramref name="args"/>; names in <paramref name="flagNames"/> take no value.</summary>
    public static ParsedArgs Parse(IReadOnlyList<string> args, IReadOnlySet<string>? flagNames = null)
    {
        var parsed = new ParsedArgs();
        for (int i = 0; i < args.Count; i++)
        {
            string a = args[i];
            if (a == "-p" || a == "--parameter")
            {
                if (i + 1 >= args.Count) throw new UsageException($"{a} needs name=value");
                string kv = args[++i];
                int eq = kv.IndexOf('=');
                if (eq <= 0) throw new UsageException($"{a} expects name=value, got '{kv}'");
                parsed.Parameters.Add(new(kv[..eq], kv[(eq + 1)..]));
            }
            else if (a.StartsWith("--", StringComparison.Ordinal) && a.Length > 2)
            {
                string name = a[2..];
                int eq = name.IndexOf('=');
                if (eq > 0) { parsed._options[name[..eq]] = name[(eq + 1)..]; continue; }
                if (flagNames != null && flagNames.Contains(name)) { parsed._flags.Add(name); continue; }
                if (i + 1 >= args.Count) throw new UsageException($"option --{name} needs a value");
                parsed._options[name] = args[++i];
            }
            else parsed.Positionals.Add(a);
        }
        return parsed;
    }

    /// <summary>Refuses an option or flag that is not in <paramref name="known"/>, naming it and the known
    /// ones.</summary>
    public void RejectUnknown(IReadOnlyCollection<string> known)
    {
        foreach (var name in _options.Keys.Concat(_flags))
            if (!known.Contains(name))
                throw new ArgumentException($"--{name}: unknown option; known: " +
                    $"{string.Join(", ", known.Select(k => "--" + k))}");
    }

    public bool Has(string name) => _options.ContainsKey(name) || _flags.Contains(name);
    public bool Flag(string name) => _flags.Contains(name);

    public string? Option(string name) => _options.TryGetValue(name, out var v) ? v : null;

    public string Required(string name) =>
        Option(name) ?? throw new UsageException($"missing required option --{name}");

    public int Int(string name, int fallback)
    {
        string? v = Option(name);
        if (v == null) return fallback;
        return int.TryParse(v, out int n) ? n : throw new UsageException($"--{name} expects an integer, got '{v}'");
    }

    public double Double(string name, double fallback)
    {
        string? v = Option(name);
        if (v == null) return fallback;
        return double.TryParse(v, System.Globalization.NumberStyles.Float,
            System.Globalization.CultureInfo.InvariantCulture, out double d)
            ? d : throw new UsageException($"--{name} expects a number, got '{v}'");
    }
}

/// <summary>A mistake in how the command was called; printed with the usage, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);

namespace LatentRules.Lab.Commands;

/// <summary>Finds the verb, parses the rest and turns failures into messages and exit codes.</summary>
public static class CommandLine
{
    public static int Dispatch(string[] args, IReadOnlyList<ILabCommand> commands)
    {
        if (args.Length == 0 || args[0] is "help" or "--help" or "-h")
        {
            PrintHelp(commands);
            return args.Length == 0 ? 2 : 0;
        }
        var command = commands.FirstOrDefault(c => c.Name == args[0]);
        if (command == null)
        {
            Console.Error.WriteLine($"unknown command '{args[0]}'");
            PrintHelp(commands);
            return 2;
        }
        try
        {
            return command.Run(ParsedArgs.Parse(args.Skip(1).ToArray(), KnownFlags));
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"{command.Name}: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or FormatException or ArgumentException)
        {
            Console.Error.WriteLine($"{command.Name}: {e.Message}");
            return 1;
        }
    }

    /// <summary>Options that never take a value, whatever the verb.</summary>
    public static readonly IReadOnlySet<string> KnownFlags = new HashSet<string>
    {
        "help", "quiet", "no-html", "list", "balanced", "unbalanced", "float32", "bf16", "csv", "paper",
    };

    private static void PrintHelp(IReadOnlyList<ILabCommand> commands)
    {
        Console.WriteLine("usage: LatentRules.Lab <command> [options]");
        foreach (var c in commands) Console.WriteLine($"  {c.Name,-10} {c.Summary}");
    }
}

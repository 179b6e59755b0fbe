using RnnLab.Training;

namespace RnnLab.Cli.Commands;

/// <summary>Turns exceptions into a message on stderr and an exit code.</summary>
internal static class Errors
{
    public const int Failure = 1;
    public const int BadInput = 2;

    /// <summary>What <see cref="Report"/> says about a bad-input exception, without the prefix.</summary>
    public static string Message(Exception exception, IReadOnlyList<string> args) => exception switch
    {
        CommandRuntimeException when ConversionFailure(exception.Message, args) is { } message => message,
        CommandParseException when UnknownOption(exception.Message, args) is { } message => message,
        _ => exception.Message,
    };

    public static int Report(Exception exception, IReadOnlyList<string> args)
    {
        switch (exception)
        {
            case CommandRuntimeException when ConversionFailure(exception.Message, args) is { } message:
                Console.Error.WriteLine($"rnnlab: error: {message}");
                return BadInput;
            case CommandParseException when UnknownOption(exception.Message, args) is { } message:
                Console.Error.WriteLine($"rnnlab: error: {message}");
                return BadInput;
            case RnnLabException or CommandParseException or CommandRuntimeException:
                Console.Error.WriteLine($"rnnlab: error: {exception.Message}");
                return BadInput;
            case UnauthorizedAccessException or IOException:
                Console.Error.WriteLine($"rnnlab: error: {exception.Message}");
                return Failure;
            case OperationCanceledException:
                Console.Error.WriteLine("rnnlab: interrupted");
                return TrainCommand.Interrupted;
            case TrainingFailedException:
                Console.Error.WriteLine($"rnnlab: training failed: {exception.Message}");
                return Failure;
            default:
                Console.Error.WriteLine($"rnnlab: unexpected error: {exception}");
                return Failure;
        }
    }

    // Spectre says "Failed to convert 'abc' to Nullable`1."; name the flag and what it takes instead
    private static string? ConversionFailure(string message, IReadOnlyList<string> args)
    {
        var match = System.Text.RegularExpressions.Regex.Match(message, "^Failed to convert '(.*)' to");
        if (!match.Success)
        {
            return null;
        }
        var value = match.Groups[1].Value;
        var at = args.ToList().IndexOf(value);
        var flag = at > 0 && args[at - 1].StartsWith("--", StringComparison.Ordinal) ? args[at - 1] : "an option";

        // a whole number that failed to convert is beyond the flag's type; any other number was a
        // fraction given to a whole-number flag
        if (System.Numerics.BigInteger.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
        {
            return $"{flag} {value} is far out of range; see --help for the values it takes";
        }
        var isNumber = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
        var what = isNumber ? "a whole number" : value.Contains(',') ? "a number (with '.' for decimals)" : "a number";
        return $"{flag} needs {what}, not '{value}'; see --help";
    }

    // every long option of every command, for "did you mean" (names are distinct enough across commands)
    private static readonly Lazy<string[]> Options = new(() => typeof(Errors).Assembly.GetTypes()
        .SelectMany(t => t.GetProperties())
        .SelectMany(p => p.GetCustomAttributes(typeof(CommandOptionAttribute), true).Cast<CommandOptionAttribute>())
        .SelectMany(a => a.LongNames)
        .Distinct(StringComparer.Ordinal)
        .ToArray());

    // Spectre says "Unknown option 'celll'."; offer the nearest real option and the command's help
    private static string? UnknownOption(string message, IReadOnlyList<string> args)
    {
        var match = System.Text.RegularExpressions.Regex.Match(message, "^Unknown option '(.*)'\\.?$");
        if (!match.Success)
        {
            return null;
        }
        var given = match.Groups[1].Value;
        var command = string.Join(' ', args.TakeWhile(a => !a.StartsWith('-')).Take(2));
        var nearest = Options.Value.Select(o => (Name: o, Distance: Edits(given, o)))
            .Where(o => o.Distance <= Math.Max(1, given.Length / 4))
            .OrderBy(o => o.Distance).ThenBy(o => o.Name, StringComparer.Ordinal)
            .Select(o => o.Name).FirstOrDefault();
        var help = command.Length > 0 ? $"rnnlab {command} --help" : "rnnlab --help";
        return nearest is null ? $"unknown option --{given}; see '{help}' for the options"
            : nearest == given ? $"--{given} is not an option of this command (another command takes it); " +
                $"see '{help}' for the options"
            : $"unknown option --{given}; did you mean --{nearest}? (see '{help}')";
    }

    // Levenshtein distance
    private static int Edits(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1,
                    previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
            previous = current;
        }
        return previous[b.Length];
    }
}

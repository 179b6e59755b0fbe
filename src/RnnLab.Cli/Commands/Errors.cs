using RnnLab.Training;

namespace RnnLab.Cli.Commands;

/// <summary>Turns exceptions into a message on stderr and an exit code.</summary>
internal static class Errors
{
    public const int Failure = 1;
    public const int BadInput = 2;

    /// <summary>What <see cref="Report"/> says about a bad-input exception, without the prefix.</summary>
    public static string Message(Exception exception, IReadOnlyList<string> args) =>
        exception is CommandRuntimeException && ConversionFailure(exception.Message, args) is { } message
            ? message
            : exception.Message;

    public static int Report(Exception exception, IReadOnlyList<string> args)
    {
        switch (exception)
        {
            case CommandRuntimeException when ConversionFailure(exception.Message, args) is { } message:
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

        // a value that is a number yet failed to convert was a fraction given to a whole-number flag
        var isNumber = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
        var what = isNumber ? "a whole number" : value.Contains(',') ? "a number (with '.' for decimals)" : "a number";
        return $"{flag} needs {what}, not '{value}'; see --help";
    }
}

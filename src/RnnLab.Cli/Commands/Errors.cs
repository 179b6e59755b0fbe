using RnnLab.Training;

namespace RnnLab.Cli.Commands;

/// <summary>Turns exceptions into a message on stderr and an exit code.</summary>
internal static class Errors
{
    public const int Failure = 1;
    public const int BadInput = 2;

    public static int Report(Exception exception)
    {
        switch (exception)
        {
            case RnnLabException or CommandParseException or CommandRuntimeException:
                Console.Error.WriteLine($"rnnlab: error: {exception.Message}");
                return BadInput;
            case TrainingFailedException:
                Console.Error.WriteLine($"rnnlab: training failed: {exception.Message}");
                return Failure;
            default:
                Console.Error.WriteLine($"rnnlab: unexpected error: {exception}");
                return Failure;
        }
    }
}

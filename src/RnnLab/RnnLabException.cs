namespace RnnLab;

/// <summary>
/// A problem with what the user asked for or gave us (a bad flag, file or checkpoint). The message
/// names the problem and the fix; the command line turns it into exit code 2.
/// </summary>
public sealed class RnnLabException(string message) : Exception(message);

/// <summary>Training could not continue (for example, the loss stayed non-finite).</summary>
public sealed class TrainingFailedException(string message) : Exception(message);

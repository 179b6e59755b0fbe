namespace RnnLab.Cli.Output;

/// <summary>
/// "read 1,024/20,000 characters" on stderr, rewritten in place, for work that takes seconds; nothing
/// when stderr is redirected, so logs keep only the lines that matter.
/// </summary>
internal sealed class TerminalProgress(int total) : IProgress<int>
{
    public static IProgress<int>? Create(int total) => Console.IsErrorRedirected ? null : new TerminalProgress(total);

    public void Report(int value)
    {
        var done = Math.Min(value, total);
        Console.Error.Write(string.Create(CultureInfo.InvariantCulture, $"\rread {done:N0}/{total:N0} characters"));
        if (done == total)
        {
            Console.Error.WriteLine();
        }
    }
}

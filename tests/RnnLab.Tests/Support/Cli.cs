namespace RnnLab.Tests.Support;

public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Asserts the exit code, showing both streams when it is wrong.</summary>
    public CliResult Exits(int expected)
    {
        Assert.True(ExitCode == expected,
            $"expected exit code {expected}, got {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}");
        return this;
    }
}

/// <summary>Runs the real command line in a child process, as a user would.</summary>
public static class Cli
{
    public static CliResult Run(string workingDirectory, params string[] args)
    {
        using var child = ChildProcess.Start(workingDirectory, args);
        return child.WaitForExit(TimeSpan.FromMinutes(3));
    }
}

using System.Diagnostics;

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
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Paths.CliDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["RNNLAB_CACHE"] = Path.Combine(workingDirectory, ".cache");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"rnnlab {string.Join(' ', args)} did not finish in 3 minutes");
        }
        return new CliResult(process.ExitCode, stdout.Result, stderr.Result);
    }
}

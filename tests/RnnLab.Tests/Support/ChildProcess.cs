using System.Diagnostics;

namespace RnnLab.Tests.Support;

/// <summary>The command line running in the background, to be signalled or killed mid-work.</summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process process;
    private readonly Task<string> stdout;
    private readonly Task<string> stderr;

    private ChildProcess(Process process)
    {
        this.process = process;
        stdout = process.StandardOutput.ReadToEndAsync();
        stderr = process.StandardError.ReadToEndAsync();
    }

    public bool HasExited => process.HasExited;

    public static ChildProcess Start(string workingDirectory, params string[] args) =>
        Start(workingDirectory, new Dictionary<string, string>(), args);

    public static ChildProcess Start(string workingDirectory, IReadOnlyDictionary<string, string> environment,
        params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Paths.CliDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["RNNLAB_CACHE"] = Path.Combine(workingDirectory, ".cache");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        return new ChildProcess(Process.Start(start)!);
    }

    /// <summary>Sends a POSIX signal by name (TERM, INT) through kill(1).</summary>
    public void Signal(string name)
    {
        using var kill = Process.Start("kill", ["-s", name, process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>SIGKILL: no handler runs, nothing is flushed.</summary>
    public void KillHard()
    {
        process.Kill();
        process.WaitForExit();
    }

    public CliResult WaitForExit(TimeSpan limit)
    {
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the process did not exit within {limit}");
        }
        return new CliResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Waits until <paramref name="condition"/> holds; fails if the process exits first.</summary>
    public void WaitUntil(Func<bool> condition, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (process.HasExited || clock.Elapsed > limit)
            {
                var result = WaitForExit(TimeSpan.FromSeconds(5));
                Assert.Fail($"condition not reached in {clock.Elapsed} (exit {result.ExitCode})\n{result.Stderr}");
            }
            Thread.Sleep(5);
        }
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }
        process.Dispose();
    }
}

using System.Diagnostics;

namespace RnnLab.Tests.Support;

/// <summary>
/// Installs a Debian package a test needs (python3-torch, graphviz) with apt on first use, when it is
/// missing and this process may (root, apt-get present); otherwise says why it is unavailable.
/// </summary>
public static class DebianPackages
{
    /// <summary>Null when <paramref name="present"/> holds (installing the package if needed), else why not.</summary>
    public static string? Ensure(string package, Func<bool> present)
    {
        if (present())
        {
            return null;
        }
        if (!File.Exists("/usr/bin/apt-get"))
        {
            return $"{package} is not installed and apt-get is unavailable to install it";
        }
        if (Environment.UserName != "root")
        {
            return $"{package} is not installed and installing it needs root (sudo apt-get install {package})";
        }
        // test classes run in parallel, and two apt-get processes would fight over dpkg's lock
        lock (Gate)
        {
            return Install(package, present);
        }
    }

    private static readonly Lock Gate = new();

    private static string? Install(string package, Func<bool> present)
    {
        if (present())
        {
            return null;
        }
        string[] install = ["-y", "-q", "--no-install-recommends", "install", package];
        if (Execute("/usr/bin/apt-get", install, null, TimeSpan.FromMinutes(15)).Code != 0)
        {
            // the package lists of a fresh machine may be empty; fetch them once and retry
            Execute("/usr/bin/apt-get", ["-q", "update"], null, TimeSpan.FromMinutes(10));
            var (code, _, error) = Execute("/usr/bin/apt-get", install, null, TimeSpan.FromMinutes(15));
            Assert.True(code == 0, $"apt-get install {package} failed:\n{error}");
        }
        Assert.True(present(), $"{package} was installed but is still not usable");
        return null;
    }

    /// <summary>Runs a program to its end; the environment gets <paramref name="environment"/>'s entries.</summary>
    public static (int Code, string Output, string Error) Execute(string file, string[] args,
        IReadOnlyDictionary<string, string>? environment, TimeSpan limit)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in {limit}");
        }
        return (process.ExitCode, output.Result, error.Result);
    }
}

/// <summary>Graphviz's <c>dot</c>, installed with apt when missing.</summary>
public static class Graphviz
{
    private static readonly Lazy<string?> Unavailable =
        new(() => DebianPackages.Ensure("graphviz", () => File.Exists("/usr/bin/dot")));

    /// <summary>Null when <c>dot</c> can run, else the reason it cannot.</summary>
    public static string? WhyUnavailable => Unavailable.Value;
}

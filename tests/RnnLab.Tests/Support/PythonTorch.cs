using System.Diagnostics;

namespace RnnLab.Tests.Support;

/// <summary>
/// Debian's PyTorch (python3-torch) for parity tests. Installs it with apt on first use when it is
/// missing and this process may (root, apt-get present); otherwise says why it is unavailable.
/// </summary>
public static class PythonTorch
{
    private const string Python = "/usr/bin/python3";

    private static readonly Lazy<string?> Unavailable = new(Prepare);

    /// <summary>Null when PyTorch can be imported, else the reason it cannot.</summary>
    public static string? WhyUnavailable => Unavailable.Value;

    /// <summary>Runs a Python script with <paramref name="path"/> on PYTHONPATH; returns its stdout.</summary>
    public static string Run(string script, string path)
    {
        var (code, output, error) = Execute(Python, ["-c", script], path, TimeSpan.FromMinutes(2));
        Assert.True(code == 0, $"python3 failed ({code}):\n{error}");
        return output;
    }

    private static string? Prepare()
    {
        if (CanImportTorch())
        {
            return null;
        }
        if (!File.Exists("/usr/bin/apt-get"))
        {
            return "python3-torch is not installed and apt-get is unavailable to install it";
        }
        if (Environment.UserName != "root")
        {
            return "python3-torch is not installed and installing it needs root (sudo apt-get install python3-torch)";
        }
        var apt = new[] { "/usr/bin/apt-get", "-y", "-q", "--no-install-recommends", "install", "python3-torch" };
        if (Execute(apt[0], apt[1..], null, TimeSpan.FromMinutes(15)).Code != 0)
        {
            // the package lists of a fresh machine may be empty; fetch them once and retry
            Execute("/usr/bin/apt-get", ["-q", "update"], null, TimeSpan.FromMinutes(10));
            var (code, _, error) = Execute(apt[0], apt[1..], null, TimeSpan.FromMinutes(15));
            Assert.True(code == 0, $"apt-get install python3-torch failed:\n{error}");
        }
        Assert.True(CanImportTorch(), "python3-torch was installed but 'import torch' still fails");
        return null;
    }

    private static bool CanImportTorch() =>
        File.Exists(Python) && Execute(Python, ["-c", "import torch"], null, TimeSpan.FromMinutes(2)).Code == 0;

    private static (int Code, string Output, string Error) Execute(string file, string[] args, string? pythonPath,
        TimeSpan limit)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        if (pythonPath is not null)
        {
            start.Environment["PYTHONPATH"] = pythonPath;
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

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

    private static string? Prepare() => DebianPackages.Ensure("python3-torch", CanImportTorch);

    private static bool CanImportTorch() =>
        File.Exists(Python) && Execute(Python, ["-c", "import torch"], null, TimeSpan.FromMinutes(2)).Code == 0;

    private static (int Code, string Output, string Error) Execute(string file, string[] args, string? pythonPath,
        TimeSpan limit) =>
        DebianPackages.Execute(file, args,
            pythonPath is null ? null : new Dictionary<string, string> { ["PYTHONPATH"] = pythonPath }, limit);
}

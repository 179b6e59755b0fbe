using System.Diagnostics;

namespace Bench;

/// <summary>The facts of the machine a benchmark ran on.</summary>
internal static class Machine
{
    public static IEnumerable<string> Facts(string root)
    {
        yield return $"date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, commit {Commit(root)}";
        var cpu = File.ReadLines("/proc/cpuinfo")
            .FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
        yield return $"CPU: {cpu?.Split(':', 2)[1].Trim() ?? "unknown"}, {Environment.ProcessorCount} cores";
        var memory = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal", StringComparison.Ordinal));
        var kib = double.Parse(memory.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1],
            CultureInfo.InvariantCulture);
        yield return $"memory: {kib / 1048576:F1} GiB";
        var os = File.ReadLines("/etc/os-release")
            .FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal));
        yield return $"OS: {os?.Split('=', 2)[1].Trim('"') ?? "unknown"} (Linux {Environment.OSVersion.Version})";
        yield return $".NET {Environment.Version}, TorchSharp {typeof(TorchSharp.torch).Assembly.GetName().Version}, " +
            $"libtorch threads {TorchSharp.torch.get_num_threads()} (its default; rnnlab sets none)";
        yield return $"PyTorch: {Run("/usr/bin/python3", "-c", "import torch; print(torch.__version__)")} " +
            $"(Debian python3-torch {Run("dpkg-query", "-W", "-f=${Version}", "python3-torch")}), BLAS: " +
            $"libopenblas0-pthread {Run("dpkg-query", "-W", "-f=${Version}", "libopenblas0-pthread")}";
        yield return "load average (1, 5, 15 min) at the end: " + File.ReadAllText("/proc/loadavg").Split(' ')[..3]
            .Aggregate((a, b) => $"{a} {b}");
    }

    private static string Commit(string root)
    {
        var commit = Run("git", "-C", root, "rev-parse", "--short", "HEAD");
        var changed = Run("git", "-C", root, "status", "--porcelain").Length > 0;
        return changed ? $"{commit}, with uncommitted changes" : commit;
    }

    private static string Run(string file, params string[] args)
    {
        try
        {
            var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 ? output : "unknown";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }
}

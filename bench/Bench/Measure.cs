using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using TorchSharp;
using static TorchSharp.torch;

namespace Bench;

/// <summary>
/// What every measuring process reports beside its result: the machine's ceiling and its own peak memory.
/// </summary>
internal static class Measure
{
    /// <summary>
    /// This process's single-precision matrix-multiply rate, GFLOP/s: square products of
    /// <paramref name="size"/> for about <paramref name="seconds"/> after three untimed ones.
    /// </summary>
    public static double MatmulGflops(int size = 2048, double seconds = 2)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var a = torch.randn(size, size);
        var b = torch.randn(size, size);

        for (var i = 0; i < 3; i++)
        {
            a.mm(b).Dispose();
        }
        var count = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            a.mm(b).Dispose();
            count++;
        }
        return 2.0 * size * size * size * count / clock.Elapsed.TotalSeconds / 1e9;
    }

    /// <summary>The most resident memory this process has held (VmHWM), MiB.</summary>
    public static double PeakRssMib()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                var kib = line["VmHWM:".Length..].Trim().Split(' ')[0];
                return double.Parse(kib, CultureInfo.InvariantCulture) / 1024;
            }
        }
        return double.NaN;
    }

    /// <summary>One JSON line on stdout with the result, this process's threads and its peak memory.</summary>
    public static void Report(JsonObject result)
    {
        result["threads"] = torch.get_num_threads();
        result["peak_rss_mib"] = Math.Round(PeakRssMib(), 1);
        Console.Out.Flush();
        Console.WriteLine(result.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
    }
}

using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Bench;

/// <summary>
/// rnnlab's own commands, run inside this process through the command line's entry point: exactly
/// what <c>rnnlab train</c> and <c>rnnlab sample</c> do, measured beside this process's matmul rate.
/// </summary>
internal static class InProcess
{
    /// <summary>Runs <c>rnnlab ARGS</c>; its output goes to <paramref name="output"/>; returns its exit code.</summary>
    public static int Rnnlab(string[] args, TextWriter? output = null)
    {
        var entry = typeof(RnnLab.Cli.Commands.TrainCommand).Assembly.EntryPoint
            ?? throw new InvalidOperationException("RnnLab.Cli has no entry point");
        var console = Console.Out;
        if (output is not null)
        {
            Console.SetOut(output);
        }
        try
        {
            return (int)entry.Invoke(null, [args])!;
        }
        finally
        {
            Console.SetOut(console);
        }
    }

    /// <summary>
    /// <c>rnnlab train ARGS --out DIR</c>, then its speed from DIR/metrics.jsonl: characters over
    /// time for the log intervals after <paramref name="warmupSteps"/>, token-weighted (all
    /// characters over all time) as the bare loop measures its own.
    /// </summary>
    public static JsonObject Train(string[] args, string runFolder, int warmupSteps)
    {
        var code = Rnnlab([.. args, "--out", runFolder], TextWriter.Null);
        if (code != 0)
        {
            throw new InvalidOperationException($"rnnlab train exited with {code}");
        }
        double chars = 0, seconds = 0;
        long last = 0, steps = 0;
        foreach (var line in File.ReadLines(Path.Combine(runFolder, "metrics.jsonl")))
        {
            var record = JsonNode.Parse(line)!.AsObject();
            if ((string?)record["kind"] != "train")
            {
                continue;
            }
            var step = (long)record["step"]!;
            var interval = (double)record["ms_per_step"]! * (step - last) / 1000;
            if (step > warmupSteps)
            {
                chars += (double)record["char_per_s"]! * interval;
                seconds += interval;
                steps += step - last;
            }
            last = step;
        }
        if (seconds <= 0)
        {
            throw new InvalidOperationException($"no log interval after step {warmupSteps} in {runFolder}");
        }
        return new JsonObject
        {
            ["steps"] = steps,
            ["seconds"] = Math.Round(seconds, 3),
            ["char_per_s"] = Math.Round(chars / seconds, 1),
        };
    }

    /// <summary>
    /// <c>rnnlab sample ARGS</c> twice, for <paramref name="shortLength"/> and then
    /// <paramref name="longLength"/> characters; the difference of the two times is the cost of the
    /// extra characters alone (loading the checkpoint, the prime and the JIT cancel out).
    /// </summary>
    public static JsonObject Sample(string[] args, int batch, int shortLength, int longLength)
    {
        double Time(int length)
        {
            var clock = Stopwatch.StartNew();
            var code = Rnnlab([.. args, "--num-samples", $"{batch}", "--length", $"{length}"], TextWriter.Null);
            return code == 0 ? clock.Elapsed.TotalSeconds : throw new InvalidOperationException(
                $"rnnlab sample exited with {code}");
        }
        Time(shortLength); // warm-up: JIT and libtorch's first calls
        var shortSeconds = Time(shortLength);
        var longSeconds = Time(longLength);
        var seconds = longSeconds - shortSeconds;
        var steps = longLength - shortLength;
        return new JsonObject
        {
            ["chars"] = steps,
            ["batch"] = batch,
            ["seconds"] = Math.Round(seconds, 3),
            ["char_per_s"] = Math.Round((double)steps * batch / seconds, 1),
            ["us_per_step"] = Math.Round(1e6 * seconds / steps, 1),
        };
    }
}

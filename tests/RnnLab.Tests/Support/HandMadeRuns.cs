using System.Text.Json;
using RnnLab.Tracking;

namespace RnnLab.Tests.Support;

/// <summary>
/// Run folders written by hand, as training leaves them (config.json, metrics.jsonl, status.json),
/// so registry tests need no training.
/// </summary>
public static class HandMadeRuns
{
    /// <summary>Writes a run at <paramref name="relative"/> under <paramref name="root"/>; returns its path.</summary>
    /// <param name="valLosses">One eval record per value, at steps 100, 200, ...; a train record before each.</param>
    /// <param name="state">status.json's state; null writes no status.json.</param>
    public static string Write(string root, string relative, CellKind cell = CellKind.Lstm, int layers = 2,
        int seed = 1, double[]? valLosses = null, RunState? state = RunState.Finished,
        OptimizerKind optimizer = OptimizerKind.Adam)
    {
        var folder = Path.Combine(root, relative);
        Directory.CreateDirectory(folder);
        var config = new RunConfig
        {
            Name = Path.GetFileName(folder),
            Data = new DataConfig { Path = "input.txt" },
            Model = new ModelConfig { Cell = cell, Layers = layers, Hidden = 64 },
            Optim = new OptimConfig { Optimizer = optimizer },
            Train = new TrainConfig { Steps = 1000, Seed = seed },
        };
        File.WriteAllText(Path.Combine(folder, "config.json"), config.ToJson() + "\n");
        var lines = new List<string>();
        var losses = valLosses ?? [1.5];
        for (var i = 0; i < losses.Length; i++)
        {
            var step = 100 * (i + 1);
            lines.Add(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["kind"] = "train", ["step"] = step, ["loss"] = losses[i] + 0.25,
                ["bpc"] = (losses[i] + 0.25) / Math.Log(2),
            }));
            lines.Add(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["kind"] = "eval", ["step"] = step, ["val_loss"] = losses[i], ["val_bpc"] = losses[i] / Math.Log(2),
            }));
        }
        File.WriteAllText(Path.Combine(folder, "metrics.jsonl"), string.Concat(lines.Select(l => l + "\n")));
        if (state is { } s)
        {
            var started = new DateTime(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc).AddMinutes(seed);
            new RunStatus
            {
                State = s, Started = started, Ended = s == RunState.Running ? null : started.AddMinutes(10),
                Step = 100 * losses.Length, Reason = s == RunState.Finished ? "reached step 1000" : null,
            }.Write(folder);
        }
        return folder;
    }

    /// <summary>Marks <paramref name="folder"/> as a sweep: sweep.json beside its runs.</summary>
    public static void MarkSweep(string folder)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, RunScan.SweepFile), "{}\n");
    }
}

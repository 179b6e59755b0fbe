using System.Text.Json;

namespace RnnLab.Tracking;

/// <summary>Keeps a run's logs consistent with the checkpoint it resumes from.</summary>
internal static class RunRecords
{
    /// <summary>Drops metrics, samples and TensorBoard events recorded after <paramref name="step"/>.</summary>
    public static void RollBack(RunFolder run, long step)
    {
        var metrics = run.File("metrics.jsonl");
        if (File.Exists(metrics))
        {
            var kept = File.ReadLines(metrics).Where(line => StepOf(line) <= step).ToList();
            AtomicFile.WriteText(metrics, string.Concat(kept.Select(line => line + "\n")));
        }
        var samples = run.File("samples.txt");
        if (File.Exists(samples))
        {
            var blocks = File.ReadAllText(samples).Split("--- step ", StringSplitOptions.RemoveEmptyEntries);
            var kept = blocks.Where(b => long.TryParse(b.Split(' ')[0], out var at) && at <= step).ToList();
            AtomicFile.WriteText(samples, string.Concat(kept.Select(b => "--- step " + b)));
        }
        TensorBoardEvents.RollBack(run.Path, step);
    }

    private static long StepOf(string line)
    {
        try
        {
            using var record = JsonDocument.Parse(line);
            return record.RootElement.TryGetProperty("step", out var value) ? value.GetInt64() : 0;
        }
        catch (JsonException)
        {
            return long.MaxValue; // a line torn by a kill is dropped
        }
    }
}

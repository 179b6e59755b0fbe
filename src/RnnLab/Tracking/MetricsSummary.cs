using System.Text.Json;

namespace RnnLab.Tracking;

/// <summary>
/// What the registry keeps of a metrics.jsonl: the last step, the best and the last evaluation, the
/// last training loss.
/// </summary>
internal sealed record MetricsSummary
{
    public long? Step { get; private init; }

    public double? BestValLoss { get; private init; }

    public double? BestValBpc { get; private init; }

    public double? FinalValLoss { get; private init; }

    public double? FinalValBpc { get; private init; }

    public double? LastTrainLoss { get; private init; }

    public static MetricsSummary Read(string path)
    {
        var summary = new MetricsSummary();
        if (!RunFiles.HasContent(path))
        {
            return summary; // missing, empty, or a FIFO that would block the reader
        }
        try
        {
            // shared, so a run appending its records meanwhile is neither blocked nor refused
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read,
                FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            while (reader.ReadLine() is { } line)
            {
                summary = summary.With(line);
            }
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
        }
        return summary;
    }

    private MetricsSummary With(string line)
    {
        try
        {
            using var record = JsonDocument.Parse(line);
            return record.RootElement.ValueKind == JsonValueKind.Object ? With(record.RootElement) : this;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return this; // a line torn by a kill, or a string that is no .NET string (a lone surrogate)
        }
    }

    private MetricsSummary With(JsonElement root)
    {
        var step = root.TryGetProperty("step", out var at) && at.ValueKind == JsonValueKind.Number
            && at.TryGetInt64(out var s) ? s : (long?)null;
        var next = this with { Step = step is null ? Step : Math.Max(step.Value, Step ?? 0) };
        var kind = root.TryGetProperty("kind", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : "";
        switch (kind)
        {
            case "train" when Number(root, "loss") is { } loss:
                return next with { LastTrainLoss = loss };
            case "eval" when Number(root, "val_loss") is { } loss:
                var bpc = Number(root, "val_bpc");
                next = next with { FinalValLoss = loss, FinalValBpc = bpc };
                return loss < (BestValLoss ?? double.PositiveInfinity)
                    ? next with { BestValLoss = loss, BestValBpc = bpc }
                    : next;
            default:
                return next;
        }
    }

    // finite numbers only: "NaN" and "Infinity" (written as strings) are no one's best
    private static double? Number(JsonElement record, string key) =>
        record.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.Number
            && value.TryGetDouble(out var number) && double.IsFinite(number)
            ? number
            : null;
}

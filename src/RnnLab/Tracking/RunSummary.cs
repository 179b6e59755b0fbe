using System.Text.Json;

namespace RnnLab.Tracking;

/// <summary>One config value of a run, flattened: <c>model.cell</c> is the key <c>cell</c>.</summary>
/// <param name="Number">The value when it is a JSON number, for numeric comparison and sorting.</param>
public sealed record ConfigValue(string Key, string Text, double? Number);

/// <summary>
/// What the run registry knows of one run folder, all read from its files: status.json for the state
/// and times, metrics.jsonl for steps and losses, config.json for the settings.
/// </summary>
public sealed record RunSummary
{
    /// <summary>The folder, relative to the runs root, with '/' between folders.</summary>
    public required string Path { get; init; }

    /// <summary>The folder's name.</summary>
    public required string Name { get; init; }

    public string? Sweep { get; init; }

    /// <summary>
    /// running, finished, interrupted, failed or killed; none without a status.json, unknown when it
    /// cannot be read.
    /// </summary>
    public required string Status { get; init; }

    public string? Reason { get; init; }

    public DateTime? Started { get; init; }

    public DateTime? Ended { get; init; }

    /// <summary>The last optimizer step the status or the metrics name.</summary>
    public long? Steps { get; init; }

    /// <summary>The lowest val_loss of the eval records, and that record's val_bpc.</summary>
    public double? BestValLoss { get; init; }

    public double? BestValBpc { get; init; }

    /// <summary>The last eval record's val_loss and val_bpc.</summary>
    public double? FinalValLoss { get; init; }

    public double? FinalValBpc { get; init; }

    /// <summary>The last train record's loss.</summary>
    public double? LastTrainLoss { get; init; }

    /// <summary>config.json as it is in the folder (null when missing or not JSON).</summary>
    public string? ConfigJson { get; init; }

    public IReadOnlyList<ConfigValue> Config { get; init; } = [];

    public FileStamp? ConfigStamp { get; init; }

    public FileStamp? MetricsStamp { get; init; }

    public FileStamp? StatusStamp { get; init; }

    /// <summary>A config value by key (null when the run's config has none).</summary>
    public ConfigValue? Setting(string key) => Config.FirstOrDefault(c => c.Key == key);

    /// <summary>Reads a run folder; <paramref name="relativePath"/> is its path under the runs root.</summary>
    public static RunSummary Read(string folder, string relativePath)
    {
        // stamps first: a file that changes while it is read then differs at the next refresh
        var configFile = System.IO.Path.Combine(folder, "config.json");
        var metricsFile = System.IO.Path.Combine(folder, "metrics.jsonl");
        var statusFile = System.IO.Path.Combine(folder, RunStatus.FileName);
        var stamps = (Config: FileStamp.Of(configFile), Metrics: FileStamp.Of(metricsFile),
            Status: FileStamp.Of(statusFile));
        var status = RunStatus.Read(folder);
        var metrics = MetricsSummary.Read(metricsFile);
        var configJson = ReadJson(configFile);
        return new RunSummary
        {
            Path = relativePath.Replace(System.IO.Path.DirectorySeparatorChar, '/'),
            Name = System.IO.Path.GetFileName(System.IO.Path.TrimEndingDirectorySeparator(folder)),
            Sweep = RunScan.SweepOf(folder),
            Status = status is not null ? status.State.ToString().ToLowerInvariant()
                : stamps.Status is null ? "none" : "unknown",
            Reason = status?.Reason,
            Started = status?.Started,
            Ended = status?.Ended,
            Steps = Max(status?.Step, metrics.Step),
            BestValLoss = metrics.BestValLoss,
            BestValBpc = metrics.BestValBpc,
            FinalValLoss = metrics.FinalValLoss,
            FinalValBpc = metrics.FinalValBpc,
            LastTrainLoss = metrics.LastTrainLoss,
            ConfigJson = configJson,
            Config = Flattened(configJson),
            ConfigStamp = stamps.Config,
            MetricsStamp = stamps.Metrics,
            StatusStamp = stamps.Status,
        };
    }

    private static IReadOnlyList<ConfigValue> Flattened(string? json)
    {
        try
        {
            return json is null ? [] : ConfigValues.Flatten(json);
        }
        catch (InvalidOperationException)
        {
            return []; // a key that is no .NET string (a lone surrogate): the run is listed without settings
        }
    }

    private static long? Max(long? a, long? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);

    private static string? ReadJson(string path)
    {
        try
        {
            var text = RunFiles.ReadText(path);
            using var _ = JsonDocument.Parse(text);
            return text;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null; // a folder being copied in, or a damaged file: indexed without its config
        }
    }
}

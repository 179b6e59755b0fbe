using System.Text.Json;
using System.Text.Json.Serialization;

namespace RnnLab.Tracking;

/// <summary>Where a run stands, as its folder's status.json says.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RunState>))]
public enum RunState
{
    /// <summary>A process is training it (or was, and was killed: see <see cref="RunStatus.Read"/>).</summary>
    Running,

    /// <summary>It reached a limit it was given (steps, epochs, time) or stopped early.</summary>
    Finished,

    /// <summary>Ctrl-C or SIGTERM stopped it; it saved and can be resumed.</summary>
    Interrupted,

    /// <summary>An error ended it.</summary>
    Failed,

    /// <summary>status.json says running, yet no process holds the folder: it was killed (kill -9, power).</summary>
    Killed,
}

/// <summary>
/// A run's status.json: written when training starts and again when it ends, atomically, so a
/// registry or a sweep can tell finished runs from interrupted, failed and killed ones without
/// parsing logs.
/// </summary>
public sealed record RunStatus
{
    public const string FileName = "status.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public RunState State { get; init; }

    /// <summary>When this invocation started (UTC).</summary>
    public DateTime Started { get; init; }

    /// <summary>When it ended (UTC); null while running.</summary>
    public DateTime? Ended { get; init; }

    /// <summary>The optimizer step reached.</summary>
    public long Step { get; init; }

    /// <summary>Why it stopped ("reached step 5000", <see cref="Interrupted"/>, an error message).</summary>
    public string? Reason { get; init; }

    /// <summary>The reason a trainer gives when Ctrl-C or SIGTERM stopped it.</summary>
    public const string Interrupted = "interrupted";

    public void Write(string runFolder) =>
        AtomicFile.WriteText(Path.Combine(runFolder, FileName), JsonSerializer.Serialize(this, Json) + "\n");

    /// <summary>
    /// The status of a run folder, or null when it has none (a run from before status files, or a
    /// folder that is not a run). "Running" with no process holding the folder's lock reads as Killed.
    /// </summary>
    public static RunStatus? Read(string runFolder)
    {
        var path = Path.Combine(runFolder, FileName);
        RunStatus? status;
        try
        {
            status = RunFiles.HasContent(path)
                ? JsonSerializer.Deserialize<RunStatus>(RunFiles.ReadText(path), Json)
                : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or IOException)
        {
            return null;
        }
        return status is { State: RunState.Running } && !RunFolder.IsLocked(runFolder)
            ? status with { State = RunState.Killed }
            : status;
    }
}

using System.Text.Json;
using RnnLab.Configuration;

namespace RnnLab.Tracking;

/// <summary>
/// A run's folder: config.json, vocab.json, metrics.jsonl (one JSON object per log and eval line),
/// samples.txt, and the checkpoints best.ckpt and last.ckpt.
/// </summary>
public sealed class RunFolder
{
    public const string BestCheckpoint = "best.ckpt";
    public const string LastCheckpoint = "last.ckpt";

    private static readonly JsonSerializerOptions MetricsJson = new()
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private RunFolder(string path) => Path = path;

    public string Path { get; }

    public string Best => System.IO.Path.Combine(Path, BestCheckpoint);

    public string Last => System.IO.Path.Combine(Path, LastCheckpoint);

    /// <summary>Creates a new run folder; refuses one that already holds files, so nothing is overwritten.</summary>
    public static RunFolder Create(string path)
    {
        if (System.IO.File.Exists(path))
        {
            throw new RnnLabException($"--out {path} is a file; pass a folder for the run");
        }
        if (Directory.Exists(path) && Directory.EnumerateFileSystemEntries(path).Any())
        {
            throw new RnnLabException(
                $"run folder {path} already exists and is not empty; pass another --out, or --resume {path}");
        }
        Directory.CreateDirectory(path);
        return new RunFolder(path);
    }

    /// <summary>Opens an existing run folder (to resume it).</summary>
    public static RunFolder Open(string path) => Directory.Exists(path)
        ? new RunFolder(path)
        : throw new RnnLabException($"run folder not found: {path}");

    /// <summary>The default folder: runs/&lt;yyyyMMdd-HHmmss&gt;-&lt;name&gt;.</summary>
    public static string DefaultPath(string name) =>
        System.IO.Path.Combine("runs",
            $"{DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}-{name}");

    /// <summary>A checkpoint path from a run folder (its best, else last checkpoint) or a file.</summary>
    public static string ResolveCheckpoint(string runOrFile, bool preferLast = false)
    {
        if (System.IO.File.Exists(runOrFile))
        {
            return runOrFile;
        }
        if (Directory.Exists(runOrFile))
        {
            var order = preferLast ? new[] { LastCheckpoint, BestCheckpoint } : [BestCheckpoint, LastCheckpoint];
            foreach (var name in order)
            {
                var candidate = System.IO.Path.Combine(runOrFile, name);
                if (System.IO.File.Exists(candidate))
                {
                    return candidate;
                }
            }
            throw new RnnLabException($"{runOrFile} holds no checkpoint ({BestCheckpoint} or {LastCheckpoint})");
        }
        throw new RnnLabException($"checkpoint not found: {runOrFile} (pass a run folder or a .ckpt file)");
    }

    public void WriteConfig(RunConfig config) => AtomicFile.WriteText(File("config.json"), config.ToJson() + "\n");

    public void WriteText(string name, string text) => AtomicFile.WriteText(File(name), text);

    public void AppendMetrics(IReadOnlyDictionary<string, object?> record) =>
        System.IO.File.AppendAllText(File("metrics.jsonl"), JsonSerializer.Serialize(record, MetricsJson) + "\n");

    public void AppendSample(long step, string sample) =>
        System.IO.File.AppendAllText(File("samples.txt"), $"--- step {step} ---\n{sample}\n");

    public string File(string name) => System.IO.Path.Combine(Path, name);
}

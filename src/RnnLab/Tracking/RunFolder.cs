using System.Text.Json;
using RnnLab.Configuration;

namespace RnnLab.Tracking;

/// <summary>
/// A run's folder: config.json, vocab.json, metrics.jsonl (one JSON object per log and eval line),
/// samples.txt, and the checkpoints best.ckpt and last.ckpt. While a run writes to it the folder is
/// locked, so a second process cannot interleave its records with the first one's.
/// </summary>
public sealed class RunFolder : IDisposable
{
    public const string BestCheckpoint = "best.ckpt";
    public const string LastCheckpoint = "last.ckpt";

    private const string LockFile = ".lock";

    private static readonly JsonSerializerOptions MetricsJson = new()
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private FileStream? lockStream;

    private RunFolder(string path) => Path = path;

    public string Path { get; }

    public string Best => System.IO.Path.Combine(Path, BestCheckpoint);

    public string Last => System.IO.Path.Combine(Path, LastCheckpoint);

    /// <summary>
    /// Creates a new run folder and locks it; refuses one that already holds files (nothing is
    /// overwritten) or that another rnnlab process is writing.
    /// </summary>
    /// <param name="path">The new folder.</param>
    /// <param name="resumable">Whether the error for a taken folder may point at --resume.</param>
    public static RunFolder Create(string path, bool resumable = true)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new RnnLabException("--out is empty; pass a folder for the run");
        }
        if (System.IO.File.Exists(path))
        {
            throw new RnnLabException($"--out {path} is a file; pass a folder for the run");
        }
        var folder = Guarded(path, () =>
        {
            Directory.CreateDirectory(path);
            return new RunFolder(path).Locked();
        });
        if (Directory.EnumerateFileSystemEntries(path).Any(e => System.IO.Path.GetFileName(e) != LockFile))
        {
            // --resume is a way on only from a checkpoint; a run killed before its first save left
            // none, and what it did leave (its log) is the user's to look at or delete
            var canResume = resumable && folder.HasCheckpoint;
            folder.Dispose();
            throw new RnnLabException(
                $"run folder {path} already exists and is not empty; pass another --out" +
                (canResume ? $", or --resume {path}"
                    : resumable ? " (it holds no checkpoint to resume from: a run stopped before its first save)"
                    : ""));
        }
        return folder;
    }

    /// <summary>
    /// Opens a run folder to continue it from <paramref name="step"/>: locks it, drops the log and
    /// sample records written after that step (by a run killed before its next checkpoint), and
    /// removes temporary files that a killed save left behind.
    /// </summary>
    public static RunFolder Resume(string path, long step)
    {
        if (!Directory.Exists(path))
        {
            throw new RnnLabException($"run folder not found: {path}");
        }
        var folder = Guarded(path, () => new RunFolder(path).Locked());
        foreach (var stale in Directory.EnumerateFiles(path, "*.tmp-*"))
        {
            System.IO.File.Delete(stale);
        }
        RunRecords.RollBack(folder, step);
        return folder;
    }

    /// <summary>The default folder: runs/&lt;yyyyMMdd-HHmmss&gt;-&lt;name&gt;, with -2, -3 ... when taken.</summary>
    /// <param name="extension">For a file: ".html" gives &lt;stamp&gt;-&lt;name&gt;.html, or ...-2.html when
    /// taken.</param>
    public static string DefaultPath(string name, string root = "runs", string extension = "")
    {
        var stamp = DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var stem = System.IO.Path.Combine(root, $"{stamp}-{name}");
        var path = stem + extension;
        for (var n = 2; Directory.Exists(path) || System.IO.File.Exists(path); n++)
        {
            path = $"{stem}-{n}{extension}";
        }
        return path;
    }

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

    public bool HasCheckpoint => System.IO.File.Exists(Last) || System.IO.File.Exists(Best);

    public void WriteConfig(RunConfig config) => AtomicFile.WriteText(File("config.json"), config.ToJson() + "\n");

    public void WriteText(string name, string text) => AtomicFile.WriteText(File(name), text);

    public void AppendMetrics(IReadOnlyDictionary<string, object?> record) =>
        System.IO.File.AppendAllText(File("metrics.jsonl"), JsonSerializer.Serialize(record, MetricsJson) + "\n");

    public void AppendSample(long step, string sample) =>
        System.IO.File.AppendAllText(File("samples.txt"), $"--- step {step} ---\n{sample}\n");

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Releases the lock (the folder and its files stay).</summary>
    public void Dispose()
    {
        lockStream?.Dispose();
        lockStream = null;
    }

    /// <summary>Deletes the folder of a run that failed before writing any checkpoint.</summary>
    public void DeleteIfEmptyOfCheckpoints()
    {
        Dispose();
        if (!HasCheckpoint)
        {
            Directory.Delete(Path, recursive: true);
        }
    }

    /// <summary>Whether a process (this one included) holds <paramref name="path"/>'s lock: a run is writing.</summary>
    public static bool IsLocked(string path)
    {
        var lockPath = System.IO.Path.Combine(path, LockFile);
        if (!System.IO.File.Exists(lockPath))
        {
            return false;
        }
        try
        {
            // a lock file that opens is one a killed process left behind
            using var probe = new FileStream(lockPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1);
            return false;
        }
        catch (FileNotFoundException)
        {
            return false; // released between the two calls
        }
        catch (IOException)
        {
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return false; // someone else's folder: no rnnlab of ours is writing it
        }
    }

    // .NET takes FileShare.None as an exclusive flock on Linux: a second process cannot open it
    private RunFolder Locked()
    {
        try
        {
            lockStream = new FileStream(File(LockFile), FileMode.OpenOrCreate, FileAccess.ReadWrite,
                FileShare.None, 1, FileOptions.DeleteOnClose);
            return this;
        }
        catch (IOException)
        {
            throw new RnnLabException(
                $"run folder {Path} is in use by another rnnlab process; wait for it to finish " +
                "(or, for a new run, pass another --out)");
        }
    }

    // permission and path problems become messages that name the folder, not stack traces
    private static T Guarded<T>(string path, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (UnauthorizedAccessException)
        {
            throw new RnnLabException($"cannot write the run folder {path}: permission denied; pass another --out");
        }
        catch (IOException e)
        {
            throw new RnnLabException($"cannot create the run folder {path}: {e.Message}; pass another --out");
        }
    }
}

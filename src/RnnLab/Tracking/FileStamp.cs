namespace RnnLab.Tracking;

/// <summary>
/// A file's last write time (UTC ticks) and size: what the run registry compares to tell that a
/// run's status.json, metrics.jsonl or config.json changed since it read them.
/// </summary>
public readonly record struct FileStamp(long Ticks, long Size)
{
    /// <summary>The stamp of <paramref name="path"/>, or null when there is no such file.</summary>
    public static FileStamp? Of(string path)
    {
        var file = new FileInfo(path);
        return file.Exists ? new FileStamp(file.LastWriteTimeUtc.Ticks, file.Length) : null;
    }
}

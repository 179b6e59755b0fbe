namespace RnnLab.Tracking;

/// <summary>
/// Writes a file so that readers see either the old content or the new, never a mix: the bytes go
/// to a temporary file beside it, are flushed to disk, and the temporary file is renamed over it.
/// A kill or a full disk part-way leaves the previous file whole.
/// </summary>
public static class AtomicFile
{
    // fault injection for the kill tests: a pause between writing the bytes and making them durable,
    // so that a kill lands inside a save on purpose rather than by luck of timing
    private static readonly int PauseMilliseconds =
        int.TryParse(Environment.GetEnvironmentVariable("RNNLAB_TEST_SAVE_PAUSE_MS"), out var ms) ? ms : 0;

    public static void Write(string path, ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        Write(path, stream => stream.Write(copy));
    }

    /// <param name="overwrite">False: a file that appeared at <paramref name="path"/> meanwhile is kept
    /// and an <see cref="IOException"/> thrown.</param>
    public static void WriteText(string path, string text, bool overwrite = true)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        Write(path, stream => stream.Write(bytes), overwrite);
    }

    public static void Write(string path, Action<Stream> write, bool overwrite = true)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = $"{full}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                if (PauseMilliseconds > 0)
                {
                    Thread.Sleep(PauseMilliseconds);
                }
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}

namespace RnnLab.Tracking;

/// <summary>
/// Reads the small text files of a run folder (config.json, status.json, metrics.jsonl, sweep.json)
/// for listings and reports, opening only regular files that hold something. A FIFO or a device
/// under one of these names reports length 0 and is read as empty: opening a FIFO would block the
/// reader until some writer came, which may be never.
/// </summary>
public static class RunFiles
{
    /// <summary>The file's text, or "" when it is missing, empty or not a regular file.</summary>
    public static string ReadText(string path) => HasContent(path) ? File.ReadAllText(path) : "";

    /// <summary>The file's lines, or none when it is missing, empty or not a regular file.</summary>
    public static IEnumerable<string> ReadLines(string path) => HasContent(path) ? File.ReadLines(path) : [];

    /// <summary>Whether <paramref name="path"/> is a file with bytes to read (a FIFO's length is 0).</summary>
    public static bool HasContent(string path)
    {
        try
        {
            var file = new FileInfo(path);
            return file.Exists && file.Length > 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}

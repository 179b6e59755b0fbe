using System.Diagnostics;

namespace RnnLab.Tracking;

/// <summary>
/// Makes a folder appear whole or not at all: its files are written into a staging folder beside
/// it (<c>NAME.tmp-PID-GUID</c>), which is renamed to NAME when complete. A failure or Ctrl-C removes
/// the staging folder; one left by a killed process is removed by the next attempt at the same NAME.
/// </summary>
public static class StagedFolder
{
    /// <summary>Fills and publishes <paramref name="target"/>; an existing non-empty one is refused.</summary>
    /// <param name="what">What the folder is, for messages ("export", "run").</param>
    public static void Publish(string target, string what, Action<string> fill, CancellationToken cancel = default)
    {
        if (string.IsNullOrWhiteSpace(target))
        {
            throw new RnnLabException($"--out is empty; pass a new folder for the {what}");
        }
        if (File.Exists(target))
        {
            throw new RnnLabException($"--out {target} is a file; pass a new folder for the {what}");
        }
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
        {
            throw new RnnLabException($"--out {target} already exists and is not empty; pass a new folder");
        }
        var full = Path.GetFullPath(target).TrimEnd(Path.DirectorySeparatorChar);
        var staging = $"{full}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
        try
        {
            RemoveAbandoned(full);
            Directory.CreateDirectory(staging);
            fill(staging);
            cancel.ThrowIfCancellationRequested();
            if (Directory.Exists(full))
            {
                Directory.Delete(full); // empty, checked above
            }
            Directory.Move(staging, full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RnnLabException($"cannot write the {what} to {target}: {e.Message}");
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    // staging folders of the same target whose process is gone (killed mid-write)
    private static void RemoveAbandoned(string full)
    {
        var parent = Path.GetDirectoryName(full);
        if (parent is null || !Directory.Exists(parent))
        {
            return;
        }
        var prefix = Path.GetFileName(full) + ".tmp-";
        foreach (var folder in Directory.EnumerateDirectories(parent, prefix + "*"))
        {
            var pid = Path.GetFileName(folder)[prefix.Length..].Split('-')[0];
            if (int.TryParse(pid, out var id) && !IsRunning(id))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}

using System.Diagnostics;
using System.Text.RegularExpressions;

namespace RnnLab.Tracking;

/// <summary>
/// Makes a folder appear whole or not at all: its files are written into a hidden staging folder
/// beside it, which is renamed to the target when complete. A failure or Ctrl-C removes the staging
/// folder; one left by a killed process is removed by the next attempt at the same target. Only
/// folders that carry this class's marker file and name pattern are ever removed.
/// </summary>
public static class StagedFolder
{
    private const string Marker = ".rnnlab-staging";

    /// <summary>Refuses a target that exists, before any work is done for it.</summary>
    public static void CheckFree(string target, string what)
    {
        if (string.IsNullOrWhiteSpace(target))
        {
            throw new RnnLabException($"--out is empty; pass a new folder for the {what}");
        }
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(target));
        if (Path.GetDirectoryName(full) is null || Exists(full))
        {
            throw new RnnLabException(
                $"--out {target} already exists; pass a new folder for the {what} (rnnlab creates it)");
        }
    }

    /// <summary>Fills and publishes <paramref name="target"/>, which must not exist yet.</summary>
    /// <param name="what">What the folder is, for messages ("export", "run").</param>
    public static void Publish(string target, string what, Action<string> fill, CancellationToken cancel = default)
    {
        CheckFree(target, what);
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(target));
        var parent = Path.GetDirectoryName(full)!;
        var stem = StagingStem(full);
        var staging = Path.Combine(parent, $"{stem}{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(parent);
            RemoveAbandoned(parent, stem);
            Directory.CreateDirectory(staging);
            File.WriteAllText(Path.Combine(staging, Marker), "");
            fill(staging);
            cancel.ThrowIfCancellationRequested();
            File.Delete(Path.Combine(staging, Marker));
            if (Exists(full))
            {
                throw new RnnLabException($"--out {target} was created by another process meanwhile; pass a new " +
                    $"folder for the {what}");
            }
            Directory.Move(staging, full);
        }
        catch (IOException) when (Directory.Exists(full) && Directory.Exists(staging))
        {
            throw new RnnLabException($"--out {target} was created by another process meanwhile; pass a new " +
                $"folder for the {what}");
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

    private static bool Exists(string path) =>
        File.Exists(path) || Directory.Exists(path) || new FileInfo(path).LinkTarget is not null;

    // hidden, and short enough that a target name near the file-system limit still leaves room
    private static string StagingStem(string full)
    {
        var name = Path.GetFileName(full);
        return $".{name[..Math.Min(name.Length, 160)]}.rnnlab-tmp-";
    }

    // staging folders of the same target whose process is gone (killed mid-write)
    private static void RemoveAbandoned(string parent, string stem)
    {
        var pattern = new Regex($"^{Regex.Escape(stem)}(\\d+)-[0-9a-f]{{32}}$", RegexOptions.CultureInvariant);
        foreach (var folder in new DirectoryInfo(parent).EnumerateDirectories())
        {
            var match = pattern.Match(folder.Name);
            if (match.Success && folder.LinkTarget is null && File.Exists(Path.Combine(folder.FullName, Marker))
                && int.TryParse(match.Groups[1].Value, out var pid) && !IsRunning(pid))
            {
                folder.Delete(recursive: true);
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

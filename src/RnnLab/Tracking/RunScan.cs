namespace RnnLab.Tracking;

/// <summary>
/// Finds the run folders under a runs root, at any depth: a folder with config.json and either
/// metrics.jsonl or status.json. A sweep lays its runs out one level down:
/// <code>
///   runs/
///     20261204-120000-lstm-stream/    a run
///     diary/                          a sweep: sweep.json beside its runs
///       sweep.json
///       lstm-h128/                    a run of sweep "diary"
///       gru-h128/
/// </code>
/// Hidden folders (.git, staging folders) and the folders inside a run (tensorboard/) are not searched.
/// </summary>
public static class RunScan
{
    public const string SweepFile = "sweep.json";

    private static readonly EnumerationOptions Folders = new()
    {
        IgnoreInaccessible = true,
        AttributesToSkip = 0, // hidden folders are told by their leading dot, below
    };

    /// <summary>Every run folder under <paramref name="root"/> (full paths), in no particular order.</summary>
    public static IEnumerable<string> Find(string root)
    {
        var pending = new Stack<DirectoryInfo>([new DirectoryInfo(root)]);
        while (pending.TryPop(out var folder))
        {
            DirectoryInfo[] children;
            try
            {
                children = folder.GetDirectories("*", Folders);
            }
            catch (DirectoryNotFoundException)
            {
                continue; // deleted while the walk was under way
            }
            foreach (var child in children)
            {
                if (child.Name.StartsWith('.'))
                {
                    continue;
                }
                if (IsRun(child.FullName))
                {
                    yield return child.FullName;
                }
                else if (child.LinkTarget is null)
                {
                    // a linked run is indexed, but links are not followed further: a link to an
                    // ancestor would never end
                    pending.Push(child);
                }
            }
        }
    }

    public static bool IsRun(string folder) =>
        File.Exists(Path.Combine(folder, "config.json"))
        && (File.Exists(Path.Combine(folder, "metrics.jsonl"))
            || File.Exists(Path.Combine(folder, RunStatus.FileName)));

    /// <summary>The sweep a run belongs to: its parent folder's name when the parent holds sweep.json.</summary>
    public static string? SweepOf(string runFolder)
    {
        var parent = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(runFolder)));
        return parent is not null && File.Exists(Path.Combine(parent, SweepFile)) ? Path.GetFileName(parent) : null;
    }
}

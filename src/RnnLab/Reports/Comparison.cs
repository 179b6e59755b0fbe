namespace RnnLab.Reports;

/// <summary>
/// The runs a report compares, in groups of seeds: given as run folders (grouped by config, the
/// seed and name aside) or read from a sweep's plan (grouped as the sweep says).
/// </summary>
public sealed record Comparison(string Title, IReadOnlyList<RunGroup> Groups, IReadOnlyList<MissingRun> Missing)
{
    // a group label names at most this many of the keys that set it apart; the config table has them all
    private const int LabelKeys = 4;

    public IReadOnlyList<RunHistory> Runs => Groups.SelectMany(g => g.Runs).ToList();

    /// <summary>Run folders given by the user: each must exist and have logged something.</summary>
    public static Comparison OfRuns(IReadOnlyList<string> folders)
    {
        ArgumentNullException.ThrowIfNull(folders);
        if (folders.Count == 0)
        {
            throw new RnnLabException("no runs to compare; pass run folders, or --sweep NAME");
        }
        var twice = folders.GroupBy(f => Path.TrimEndingDirectorySeparator(Path.GetFullPath(f)))
            .FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
        {
            throw new RnnLabException($"run {twice.First()} is given twice; pass each run once");
        }
        var runs = UniqueNames(folders.Select(ReadStarted).ToList());

        // a run whose config cannot be read is a group of its own: nothing says what it repeats
        var groups = runs.GroupBy(r => r.ConfigProblem is null
                ? ConfigDiff.Identity(r.Config, ConfigDiff.NameAndSeed)
                : "\0" + r.Path)
            .Select(g => g.ToList()).ToList();
        var labels = Labels(groups);
        return new Comparison(CompareReport.Count(runs.Count, "run"),
            groups.Select((g, i) => new RunGroup(labels[i], g, g.Count)).ToList(), []);
    }

    /// <summary>A sweep's runs; those missing or not started yet are listed, not refused.</summary>
    public static Comparison OfSweep(string root, string name)
    {
        var sweep = SweepFile.Read(root, name);
        var missing = new List<MissingRun>();
        var present = new List<(SweepMember Member, RunHistory Run)>();
        foreach (var member in sweep.Runs)
        {
            var folder = sweep.FolderOf(member);
            var run = Directory.Exists(folder) ? RunHistory.Read(folder) : null;
            if (run is { HasMetrics: true })
            {
                var seed = member.Seed?.ToString(CultureInfo.InvariantCulture) ?? run.Seed;
                present.Add((member, run with { Name = member.Name, Seed = seed }));
            }
            else
            {
                missing.Add(new MissingRun(member.Name, member.Group, folder,
                    run is null ? "folder not found" : "not started: no metrics yet"));
            }
        }
        var groups = sweep.Runs.Select(m => m.Group).Distinct(StringComparer.Ordinal)
            .Select(group => new RunGroup(group,
                present.Where(p => p.Member.Group == group).Select(p => p.Run).ToList(),
                sweep.Runs.Count(m => m.Group == group)))
            .ToList();
        return new Comparison($"sweep {sweep.Name}", groups, missing);
    }

    private static RunHistory ReadStarted(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new RnnLabException($"run folder not found: {folder}; pass folders that 'rnnlab train' wrote");
        }
        var run = RunHistory.Read(folder);
        if (!run.HasMetrics && File.Exists(Path.Combine(folder, SweepFile.FileName)))
        {
            var given = Path.TrimEndingDirectorySeparator(folder);
            var root = Path.GetDirectoryName(given) is { Length: > 0 } parent ? parent : ".";
            throw new RnnLabException($"{folder} is a sweep, not a run; pass --sweep {Path.GetFileName(given)} " +
                $"--root {root}");
        }
        if (!run.HasMetrics)
        {
            throw new RnnLabException($"run {folder} has no metrics yet (no train or eval record in " +
                "metrics.jsonl); pass runs that have logged a step");
        }
        return run;
    }

    // two folders called "s1" in different sweeps would share one name in the legend and samples
    private static List<RunHistory> UniqueNames(List<RunHistory> runs) =>
        runs.Select((run, i) => runs.Take(i).Count(r => r.Name == run.Name) is var before and > 0
            ? run with { Name = $"{run.Name} ({before + 1})" }
            : run).ToList();

    // "cell=gru, learning-rate=0.001": the keys that set the groups apart, by their last part
    private static List<string> Labels(List<List<RunHistory>> groups)
    {
        var readable = groups.Where(g => g[0].ConfigProblem is null).ToList();
        var rows = ConfigDiff.Differences(readable.Select(g => g[0].Config).ToList(), ConfigDiff.NameAndSeed);
        var shortKeys = rows.Select(r => r.Key[(r.Key.LastIndexOf('.') + 1)..]).ToList();
        var keys = rows.Select((r, i) => shortKeys.Count(k => k == shortKeys[i]) > 1 ? r.Key : shortKeys[i]).ToList();
        return groups.Select(group =>
        {
            var at = readable.IndexOf(group);
            var names = group.Select(r => r.Config.GetValueOrDefault("name")).Distinct().ToList();
            return at < 0 ? $"{group[0].Name} (config unreadable)"
                : rows.Count == 0 ? names is [{ Length: > 0 } name] ? name : "all runs"
                : string.Join(", ", rows.Take(LabelKeys).Select((r, i) => $"{keys[i]}={r.Values[at] ?? "(absent)"}"))
                    + (rows.Count > LabelKeys ? ", …" : "");
        }).ToList();
    }
}

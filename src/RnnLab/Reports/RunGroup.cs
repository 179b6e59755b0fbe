namespace RnnLab.Reports;

/// <summary>Runs of one config with different seeds.</summary>
/// <param name="Planned">How many runs the group should have: more than <paramref name="Runs"/> when some
/// of a sweep's runs are missing or have not started.</param>
public sealed record RunGroup(string Label, IReadOnlyList<RunHistory> Runs, int Planned)
{
    /// <summary>The seeds of the runs present, in run order ("?" for a run whose config gives none).</summary>
    public IReadOnlyList<string> Seeds => Runs.Select(r => r.Seed ?? "?").ToList();
}

/// <summary>A sweep's run that cannot be compared yet, and why.</summary>
public sealed record MissingRun(string Name, string Group, string Path, string Reason);

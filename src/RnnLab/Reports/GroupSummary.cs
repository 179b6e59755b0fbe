namespace RnnLab.Reports;

/// <summary>
/// A group's figures over its seeds; a run without a figure (no evaluation yet) is left out of its n.
/// </summary>
public sealed record GroupSummary(
    RunGroup Group,
    Spread? BestValBpc,
    Spread? FinalValBpc,
    Spread? Steps,
    Spread? TrainSeconds,
    Spread? CharsPerSecond)
{
    public static GroupSummary Of(RunGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        Spread? Over(Func<RunHistory, double?> figure) => Spread.Of(group.Runs.Select(figure).OfType<double>());
        return new GroupSummary(group, Over(r => r.BestValBpc), Over(r => r.FinalValBpc), Over(r => r.Steps),
            Over(r => r.TrainSeconds), Over(r => r.CharsPerSecond));
    }
}

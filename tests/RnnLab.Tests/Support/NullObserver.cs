using RnnLab.Training;

namespace RnnLab.Tests.Support;

/// <summary>Ignores what a trainer reports, except its notes, which tests read.</summary>
public sealed class NullObserver : ITrainingObserver
{
    public List<string> Notes { get; } = [];

    public void Started(long startStep, long? totalSteps, double? timeLimitSeconds)
    {
    }

    public void Stepped(long step, double elapsedSeconds)
    {
    }

    public void Logged(LogReport report)
    {
    }

    public void Evaluated(EvalReport report, IReadOnlyList<string> samples)
    {
    }

    public void Note(string message) => Notes.Add(message);
}

using RnnLab.Training;

namespace RnnLab.Tests.Support;

/// <summary>Ignores what a trainer reports, except its notes, which tests read.</summary>
public sealed class NullObserver : ITrainingObserver
{
    public List<string> Notes { get; } = [];

    /// <summary>Called with each step as it ends (a test can raise a stop signal from it).</summary>
    public Action<long>? OnStep { get; init; }

    public void Started(long startStep, long? totalSteps, double? timeLimitSeconds)
    {
    }

    public void Stepped(long step, double elapsedSeconds) => OnStep?.Invoke(step);

    public void Logged(LogReport report)
    {
    }

    public void Evaluated(EvalReport report, IReadOnlyList<string> samples)
    {
    }

    public void Note(string message) => Notes.Add(message);
}

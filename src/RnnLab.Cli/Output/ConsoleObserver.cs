using RnnLab.Classification;
using RnnLab.Training;

namespace RnnLab.Cli.Output;

/// <summary>
/// Shows training: a progress bar with log lines above it on a terminal; plain fixed-field lines,
/// one per interval, when output is redirected (logs, CI).
/// </summary>
internal sealed class ConsoleObserver : ITrainingObserver, IClassifierObserver
{
    private const double Scale = 1000;
    private readonly bool interactive = !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
    private ProgressTask? task;
    private long? totalSteps;
    private double? timeLimit;

    /// <summary>Runs <paramref name="body"/> under the progress bar (when there is a terminal).</summary>
    public T Run<T>(Func<T> body)
    {
        if (!interactive)
        {
            return body();
        }
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                task = context.AddTask("training", maxValue: Scale);
                result = body();
            });
        return result;
    }

    public void Started(long startStep, long? totalSteps, double? timeLimitSeconds)
    {
        this.totalSteps = totalSteps;
        timeLimit = timeLimitSeconds;
    }

    void IClassifierObserver.Started(long? totalSteps, double? timeLimitSeconds) =>
        Started(0, totalSteps, timeLimitSeconds);

    public void Stepped(long step, double elapsedSeconds)
    {
        if (task is null)
        {
            return;
        }
        var bySteps = totalSteps is > 0 ? (double)step / totalSteps.Value : 0;
        var byTime = timeLimit is > 0 ? elapsedSeconds / timeLimit.Value : 0;
        task.Value = Math.Min(1, Math.Max(bySteps, byTime)) * Scale;
        task.Description = $"step {step.ToString(CultureInfo.InvariantCulture)}";
    }

    public void Logged(LogReport report) => Line(report.Format());

    public void Evaluated(EvalReport report, IReadOnlyList<string> samples)
    {
        Line(report.Format());
        foreach (var sample in samples)
        {
            Line("  sample | " + sample.Replace("\n", "\n         | "));
        }
    }

    public void Note(string message) => Line("note: " + message);

    public void Line(string text)
    {
        if (interactive)
        {
            AnsiConsole.WriteLine(text);
        }
        else
        {
            Console.WriteLine(text);
        }
    }
}

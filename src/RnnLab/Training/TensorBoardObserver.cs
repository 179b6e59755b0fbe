using RnnLab.Tracking;
using TorchSharp.Modules;

namespace RnnLab.Training;

/// <summary>
/// <c>--tensorboard</c>: passes everything on to another observer and also writes each log line and
/// evaluation as TensorBoard scalars at the optimizer step: <c>train/loss</c>, <c>train/bpc</c>,
/// <c>train/lr</c>, <c>train/grad_norm</c>, <c>train/char_per_s</c> and one <c>train/NAME</c> per
/// hidden-state loss term; <c>val/loss</c>, <c>val/bpc</c>, <c>val/ppl</c> and, when measured,
/// <c>val/eos_state_norm</c>. Each instance starts a new event file in the run's tensorboard/ folder,
/// so a resumed run adds one beside the earlier ones and TensorBoard reads them as one run.
/// </summary>
public sealed class TensorBoardObserver : ITrainingObserver
{
    private readonly ITrainingObserver inner;
    private readonly SummaryWriter writer;

    public TensorBoardObserver(RunFolder run, ITrainingObserver inner)
    {
        this.inner = inner;
        writer = torch.utils.tensorboard.SummaryWriter(run.File(TensorBoardEvents.Folder));
    }

    public void Started(long startStep, long? totalSteps, double? timeLimitSeconds) =>
        inner.Started(startStep, totalSteps, timeLimitSeconds);

    public void Stepped(long step, double elapsedSeconds) => inner.Stepped(step, elapsedSeconds);

    public void Logged(LogReport report)
    {
        Scalar("train/loss", report.Loss, report.Step);
        Scalar("train/bpc", report.BitsPerChar, report.Step);
        Scalar("train/lr", report.LearningRate, report.Step);
        Scalar("train/grad_norm", report.GradNorm, report.Step);
        Scalar("train/char_per_s", report.CharsPerSecond, report.Step);
        foreach (var (name, value) in report.HiddenStateLosses.Concat(report.Exposure))
        {
            Scalar($"train/{name}", value, report.Step);
        }
        inner.Logged(report);
    }

    public void Evaluated(EvalReport report, IReadOnlyList<string> samples)
    {
        var validation = report.Validation;
        Scalar("val/loss", validation.Loss, report.Step);
        Scalar("val/bpc", validation.BitsPerChar, report.Step);
        Scalar("val/ppl", validation.Perplexity, report.Step);
        if (validation.EndStateNorm is { } norm)
        {
            Scalar("val/eos_state_norm", norm, report.Step);
        }
        foreach (var (name, value) in report.Exposure)
        {
            Scalar($"val/{(name.StartsWith("val_", StringComparison.Ordinal) ? name[4..] : name)}", value, report.Step);
        }
        inner.Evaluated(report, samples);
    }

    public void Note(string message) => inner.Note(message);

    // NOTE: TorchSharp's writer opens, appends to, flushes and closes the event file for every
    // scalar, so each value is in the file when this returns: nothing waits for an evaluation or the
    // end of the run, and a kill loses at most the record being written (TensorBoard skips a torn
    // last record). It takes the step as an int and the wall time in whole seconds; steps past
    // int.MaxValue are written as int.MaxValue.
    private void Scalar(string tag, double value, long step) =>
        writer.add_scalar(tag, (float)value, (int)Math.Min(step, int.MaxValue));
}

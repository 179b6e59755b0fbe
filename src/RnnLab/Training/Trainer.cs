using System.Diagnostics;
using RnnLab.Checkpoints;
using RnnLab.Configuration;
using RnnLab.Data;
using RnnLab.Models;
using RnnLab.Tracking;

namespace RnnLab.Training;

/// <summary>
/// Trains a <see cref="CharRnn"/> with truncated backprop through time: windows of T steps, the hidden
/// state carried across windows and detached between them, the loss over every step, gradients
/// clipped, periodic evaluation with checkpoints, and recovery from non-finite losses.
/// </summary>
public sealed partial class Trainer : IDisposable
{
    private readonly RunConfig config;
    private readonly PreparedCorpus corpus;
    private readonly RunFolder run;
    private readonly ITrainingObserver observer;
    private readonly Parameter[] parameters;
    private readonly WindowSources windows;
    private readonly Lazy<long> windowsPerEpoch;
    private readonly LearningRateSchedule schedule;
    private readonly IHiddenStateLoss[] hiddenStateLosses;
    private readonly ProfessorForcing? professor;
    private readonly ExposureDiagnostics? diagnostics;
    private readonly Stopwatch runClock = new();
    private RecurrentState? hidden;
    private TrainingProgress progress = new();
    private byte[] lastGood;
    private double trainSecondsBefore;
    private int nonFiniteInARow;
    private double? lastTrainLoss;
    private EvalResult? lastEvaluation;
    private long lastEvaluatedStep = -1;
    private int stepEpoch; // the epoch of the last step taken (progress.Epoch moves on after its last window)
    private double sampleProbability; // scheduled sampling's probability at the last step

    /// <param name="hiddenStateLosses">Terms on the hidden states added to the loss, beside the config's
    /// (<see cref="TrainConfig.EosStateLoss"/>).</param>
    public Trainer(RunConfig config, PreparedCorpus corpus, RunFolder run, ITrainingObserver observer, Device device,
        IEnumerable<IHiddenStateLoss>? hiddenStateLosses = null)
    {
        this.config = config;
        this.corpus = corpus;
        this.run = run;
        this.observer = observer;
        torch.manual_seed(config.Train.Seed);
        Model = new CharRnn(config.Model, corpus.Vocabulary.Count, corpus.Classes?.Count ?? 0).to(device);
        parameters = Model.parameters().ToArray();
        Optimizer = OptimizerFactory.Create(config.Optim, parameters);
        schedule = new LearningRateSchedule(config.Optim);
        professor = config.Exposure.Mode == Exposure.Professor
            ? new ProfessorForcing(config.Exposure, Model, config.Optim.ClipMode == ClipMode.None ? NoLimit
                : config.Optim.Clip)
            : null;
        diagnostics = config.Exposure.DiagnosticsOn
            ? new ExposureDiagnostics(config.Exposure, corpus, config.Data.Mode)
            : null;
        IHiddenStateLoss[] fromConfig =
            config.Train.EosStateLoss > 0 ? [new EosStateLoss(config.Train.EosStateLoss)] : [];
        this.hiddenStateLosses = [.. fromConfig, .. hiddenStateLosses ?? []];
        windows = WindowSources.Create(config.Data, config.Train.Seed, corpus, device,
            readEndOfDocument: this.hiddenStateLosses.Length > 0);
        windowsPerEpoch = new Lazy<long>(() => windows.Train.WindowCount(0));
        lastGood = StateBytes.Model(Model);
    }

    public CharRnn Model { get; }

    public OptimizerHelper Optimizer { get; private set; }

    public TrainingProgress Progress => progress;

    /// <summary>Test hook: replaces each step's loss (to inject a non-finite value).</summary>
    internal Func<long, Tensor, Tensor>? TransformLoss { get; set; }

    /// <summary>Trains until a limit in the config is reached or <paramref name="cancel"/> fires.</summary>
    public TrainingResult Run(CancellationToken cancel = default)
    {
        stopSignal = cancel;
        runClock.Restart();
        trainSecondsBefore = progress.TrainSeconds;
        var startStep = progress.Step;
        var limits = config.Train;
        InitHorizon();
        var totalSteps = limits.Steps > 0 ? limits.Steps : EpochSteps();
        observer.Started(startStep, totalSteps, NullIfZero(limits.TimeLimitSeconds));
        using var lossSum = torch.zeros(1 + hiddenStateLosses.Length, device: Model.Device()); // NLL, then each term
        var interval = new Interval();
        string? stop = null;
        while (stop is null)
        {
            if (limits.Epochs > 0 && progress.Epoch >= limits.Epochs)
            {
                stop = $"reached {limits.Epochs} epochs";
                break;
            }
            foreach (var window in windows.Train.Windows(progress.Epoch, progress.WindowInEpoch))
            {
                // a limit already reached (a resumed run, a time limit) takes no further step
                stop = StopReason(runClock.Elapsed.TotalSeconds, cancel);
                if (stop is not null)
                {
                    window.Dispose();
                    break;
                }
                TrainOn(window, lossSum, interval, startStep);
                stop = StopReason(runClock.Elapsed.TotalSeconds, cancel);
                if (stop is not null)
                {
                    break;
                }
            }
            if (stop is null)
            {
                progress = progress with { Epoch = progress.Epoch + 1, WindowInEpoch = 0 };
            }
        }
        if (lastEvaluatedStep != progress.Step)
        {
            // a stop request ends the run in seconds: its last evaluation reads a few windows, not a
            // validation split that can take minutes (a large corpus with --eval-batches 0)
            Evaluate(final: true, cancel.IsCancellationRequested ? Evaluator.StopBatches : null);
        }
        if (cancel.IsCancellationRequested)
        {
            stop = RunStatus.Interrupted; // a signal that came during the last evaluation, too
        }
        else if (progress.Step > startStep)
        {
            SaveCheckpoint(run.Last);
        }
        progress = Timed(progress);
        return new TrainingResult(stop, progress, lastEvaluation);
    }

    // one window: the step, then the log line and the evaluation when they are due
    private void TrainOn(Window window, Tensor lossSum, Interval interval, long startStep)
    {
        var tokens = window.Tokens;
        var gradNorm = Step(window, lossSum);
        progress = progress with { WindowInEpoch = progress.WindowInEpoch + 1 };
        observer.Stepped(progress.Step, runClock.Elapsed.TotalSeconds);
        if (gradNorm is not { } norm)
        {
            return;
        }
        interval.Add(tokens, norm);

        // log line: the one place the running loss is read back from the device
        if (progress.Step % config.Train.LogEvery == 0)
        {
            Log(lossSum, interval);
            interval.Reset();
            ReestimateHorizon(progress.Step - startStep, runClock.Elapsed.TotalSeconds);
        }

        // evaluation: validation loss, samples, checkpoints, early stopping; its time is not
        // training time, so the next log line's speed leaves it out
        if (progress.Step % config.Train.EvalEvery == 0)
        {
            interval.Clock.Stop();
            if (interval.Steps > 0)
            {
                lastTrainLoss = lossSum[0].item<float>() / interval.Steps;
            }
            Evaluate(final: false);
            ReestimateHorizon(progress.Step - startStep, runClock.Elapsed.TotalSeconds);
            interval.Clock.Start();
        }
    }

    // one optimizer step on one window; returns the gradient norm, or null when the step was skipped
    private double? Step(Window window, Tensor lossSum)
    {
        using var scope = torch.NewDisposeScope();
        using var _ = window;

        // a new batch of documents (or a new epoch of the stream) starts from a zero state
        if (window.StartsSequence)
        {
            hidden?.Dispose();
            hidden = null;
        }

        // learning rate for this step
        var step = progress.Step + 1;
        OptimizerFactory.SetLearningRate(Optimizer, schedule.At(step));

        // forward and loss over the window's time steps, with any terms on the hidden states
        var (logits, output, next) = Forward(window, step); // (B, T, V), (B, T, H)
        var loss = SequenceLoss.Mean(logits, window.Target, config.Train.LossOn);
        if (TransformLoss is { } transform)
        {
            loss = transform(step, loss);
        }
        Tensor[] terms = []; // no allocation per step when there are no terms
        var total = loss;
        if (hiddenStateLosses.Length > 0)
        {
            var states = new HiddenStates(output, window.Input, window.Target);
            terms = [.. hiddenStateLosses.Select(h => h.Loss(states))];
            total = terms.Aggregate(loss, (sum, term) => sum + term);
        }

        // Professor Forcing (on every K-th step): the same window free-running from the same state,
        // and the term that pulls its behaviour towards the teacher-forced one
        var professes = professor is not null && (step - 1) % config.Exposure.ProfessorEvery == 0;
        var (teacherBehaviour, freeBehaviour, adversarial) = professes
            ? Adversarial(window, logits, output)
            : default;
        if (adversarial is not null)
        {
            total = total.add(adversarial);
        }

        // backward, then clip: one bad window must not blow up recurrent weights
        Optimizer.zero_grad();
        total.backward();
        var gradNorm = Clip();
        if (!double.IsFinite(gradNorm))
        {
            RecoverFromNonFinite(step, "loss or gradient");
            return null;
        }
        Optimizer.step();
        if (professes)
        {
            professor!.DiscriminatorStep(teacherBehaviour!, freeBehaviour!, adversarial?.item<float>());
        }
        nonFiniteInARow = 0;
        lossSum.add_(terms.Length == 0 ? loss.detach() : torch.stack([loss, .. terms]).detach());

        // carry the state into the next window, cut from this window's graph
        var carried = next.Detach().MoveToOuterDisposeScope();
        hidden?.Dispose();
        hidden = carried;
        progress = progress with { Step = step, Tokens = progress.Tokens + window.Tokens };
        stepEpoch = progress.Epoch;
        return gradNorm;
    }

    // measures the norm without clipping: a limit no gradient reaches, and one that fits in a float
    private const double NoLimit = 1e30;

    // TODO: the norm comes back to the host every step (TorchSharp's clip_grad_norm_ returns a
    // double, and the non-finite check needs it before the optimizer steps): free on the CPU, one
    // synchronisation per step on a GPU; keeping it on the device needs a device-side skip of
    // non-finite steps, as PyTorch's GradScaler has
    private double Clip()
    {
        switch (config.Optim.ClipMode)
        {
            case ClipMode.Norm:
                return nn.utils.clip_grad_norm_(parameters, config.Optim.Clip);
            case ClipMode.Value:
                var norm = nn.utils.clip_grad_norm_(parameters, NoLimit);
                nn.utils.clip_grad_value_(parameters, config.Optim.Clip);
                return norm;
            default:
                return nn.utils.clip_grad_norm_(parameters, NoLimit);
        }
    }

    private void Log(Tensor lossSum, Interval interval)
    {
        var sums = lossSum.cpu().data<float>().ToArray();
        lossSum.zero_();
        var loss = sums[0] / interval.Steps;
        lastTrainLoss = loss;
        var seconds = Math.Max(interval.Clock.Elapsed.TotalSeconds, 1e-9);
        var report = new LogReport(progress.Step, config.Train.Steps > 0 ? config.Train.Steps : null, stepEpoch,
            loss, schedule.At(progress.Step), interval.GradNorm, 1000 * seconds / interval.Steps,
            interval.Tokens / seconds)
        {
            HiddenStateLosses = hiddenStateLosses.Select((h, i) => (h.Name, (double)sums[1 + i] / interval.Steps))
                .ToArray(),
            Exposure =
            [
                .. config.Exposure.Mode == Exposure.Scheduled ? [("p_sample", sampleProbability)]
                    : Array.Empty<(string, double)>(),
                .. professor?.TakeInterval() ?? [],
            ],
        };
        run.AppendMetrics(report.ToRecord());
        observer.Logged(report);
    }

    private string? StopReason(double elapsedSeconds, CancellationToken cancel)
    {
        var limits = config.Train;
        if (cancel.IsCancellationRequested)
        {
            return RunStatus.Interrupted;
        }
        if (limits.Steps > 0 && progress.Step >= limits.Steps)
        {
            return $"reached step {limits.Steps}";
        }
        if (limits.TimeLimitSeconds > 0 && elapsedSeconds >= limits.TimeLimitSeconds)
        {
            return $"reached the time limit ({limits.TimeLimitSeconds.ToString(CultureInfo.InvariantCulture)} s)";
        }
        if (limits.Patience > 0 && progress.EvalsWithoutImprovement >= limits.Patience)
        {
            return $"early stop: {limits.Patience} evaluations without improvement";
        }
        return null;
    }

    private static double? NullIfZero(double value) => value > 0 ? value : null;

    private sealed class Interval
    {
        public int Steps { get; private set; }

        public long Tokens { get; private set; }

        public double GradNorm { get; private set; }

        public Stopwatch Clock { get; } = Stopwatch.StartNew();

        public void Add(long tokens, double gradNorm)
        {
            Steps++;
            Tokens += tokens;
            GradNorm = gradNorm;
        }

        public void Reset()
        {
            (Steps, Tokens, GradNorm) = (0, 0, 0);
            Clock.Restart();
        }
    }

    public void Dispose()
    {
        hidden?.Dispose();
        professor?.Dispose();
        windows.Dispose();
        Optimizer.Dispose();
        Model.Dispose();
    }
}

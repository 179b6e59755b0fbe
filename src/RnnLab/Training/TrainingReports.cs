namespace RnnLab.Training;

/// <summary>One log interval: the mean training loss and the speed since the last log line.</summary>
public sealed record LogReport(
    long Step,
    long? TotalSteps,
    int Epoch,
    double Loss,
    double LearningRate,
    double GradNorm,
    double MsPerStep,
    double CharsPerSecond)
{
    public double BitsPerChar => Loss / Math.Log(2);

    /// <summary>Each hidden-state loss term's mean over the interval, by name (not in <see cref="Loss"/>).</summary>
    public IReadOnlyList<(string Name, double Value)> HiddenStateLosses { get; init; } = [];

    /// <summary>Scheduled sampling's probability, or Professor Forcing's discriminator figures, by name.</summary>
    public IReadOnlyList<(string Name, double Value)> Exposure { get; init; } = [];

    public string Format()
    {
        var step = TotalSteps is { } total ? $"{Step}/{total}" : $"{Step}";
        var terms = string.Concat(HiddenStateLosses.Concat(Exposure).Select(Term));
        return string.Create(CultureInfo.InvariantCulture,
            $"step {step} | epoch {Epoch + 1} | loss {Loss:F4} | bpc {BitsPerChar:F3}{terms} | " +
            $"lr {LearningRate:0.0e+00} | grad {GradNorm:F2} | {MsPerStep:F1} ms/step | {CharsPerSecond:N0} char/s");
    }

    // counts (names ending "_steps") print whole
    private static string Term((string Name, double Value) t) => t.Name.EndsWith("_steps", StringComparison.Ordinal)
        ? string.Create(CultureInfo.InvariantCulture, $" | {t.Name} {t.Value:F0}")
        : string.Create(CultureInfo.InvariantCulture, $" | {t.Name} {t.Value:F4}");

    public Dictionary<string, object?> ToRecord()
    {
        var record = new Dictionary<string, object?>
        {
            ["kind"] = "train", ["step"] = Step, ["epoch"] = Epoch + 1, ["loss"] = Loss, ["bpc"] = BitsPerChar,
            ["lr"] = LearningRate, ["grad"] = GradNorm, ["ms_per_step"] = MsPerStep, ["char_per_s"] = CharsPerSecond,
        };
        foreach (var (name, value) in HiddenStateLosses.Concat(Exposure))
        {
            record[name] = value;
        }
        return record;
    }
}

/// <summary>One evaluation: validation loss against the best so far.</summary>
public sealed record EvalReport(
    long Step,
    int Epoch,
    double? TrainLoss,
    EvalResult Validation,
    double BestLoss,
    bool Improved)
{
    /// <summary>Exposure-bias diagnostics (<see cref="ExposureReport"/>) and the discriminator's running
    /// accuracy, by name; empty when they are off.</summary>
    public IReadOnlyList<(string Name, double Value)> Exposure { get; init; } = [];

    /// <summary>Set when a stop signal cut the evaluation to this many validation windows.</summary>
    public int? StoppedAt { get; init; }

    public string Format() => string.Create(CultureInfo.InvariantCulture,
        $"eval step {Step} | epoch {Epoch + 1} | train {(TrainLoss is { } train ? $"{train:F4}" : "-")} | " +
        $"val loss {Validation.Loss:F4} | val bpc {Validation.BitsPerChar:F3} | " +
        $"ppl {Validation.Perplexity:F2}{EndState}{ExposureText}{Stopped} | " +
        $"best {BestLoss:F4}{(Improved ? " *" : "")}");

    private string Stopped => StoppedAt is { } windows ? $" | stopped: {windows} windows" : "";

    private string ExposureText => string.Concat(Exposure.Select(t => string.Create(CultureInfo.InvariantCulture,
        $" | {t.Name} {t.Value:F4}")));

    private string EndState => Validation.EndStateNorm is { } norm
        ? string.Create(CultureInfo.InvariantCulture, $" | |h| after <eos> {norm:F3}")
        : "";

    public Dictionary<string, object?> ToRecord()
    {
        var record = new Dictionary<string, object?>
        {
            ["kind"] = "eval", ["step"] = Step, ["epoch"] = Epoch + 1, ["train_loss"] = TrainLoss,
            ["val_loss"] = Validation.Loss, ["val_bpc"] = Validation.BitsPerChar, ["val_ppl"] = Validation.Perplexity,
            ["best_val_loss"] = BestLoss, ["improved"] = Improved,
        };
        if (StoppedAt is { } windows)
        {
            record["val_windows"] = windows;
        }
        if (Validation.EndStateNorm is { } norm)
        {
            record["val_eos_state_norm"] = norm;
        }
        foreach (var (name, value) in Exposure)
        {
            record[name] = value;
        }
        return record;
    }
}

/// <summary>Why and where training ended.</summary>
public sealed record TrainingResult(string StopReason, TrainingProgress Progress, EvalResult? LastEvaluation);

/// <summary>What a front end shows while training runs: a progress bar, log lines, notes.</summary>
public interface ITrainingObserver
{
    /// <summary>Before the first step: the step budget (if known) and the time budget (if any).</summary>
    void Started(long startStep, long? totalSteps, double? timeLimitSeconds);

    /// <summary>After every step; keep it cheap.</summary>
    void Stepped(long step, double elapsedSeconds);

    void Logged(LogReport report);

    void Evaluated(EvalReport report, IReadOnlyList<string> samples);

    void Note(string message);
}

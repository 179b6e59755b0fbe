using RnnLab.Configuration;

namespace RnnLab.Cli.Commands;

/// <summary>
/// The optimizer, schedule and clipping flags, shared by every command that trains; each one given
/// overrides the base config.
/// </summary>
public abstract class OptimizerSettings : CommandSettings
{
    [CommandOption("--optimizer <NAME>"), Description("sgd, adam (default), adamw or rmsprop")]
    public string? Optimizer { get; init; }

    [CommandOption("--lr <RATE>"), Description("Peak learning rate (default 0.002)")]
    public double? LearningRate { get; init; }

    [CommandOption("--momentum <M>"), Description("SGD and RMSprop momentum (default 0.9)")]
    public double? Momentum { get; init; }

    [CommandOption("--nesterov"), Description("Nesterov momentum (SGD)")]
    public bool Nesterov { get; init; }

    [CommandOption("--weight-decay <W>"), Description("Weight decay (default 0)")]
    public double? WeightDecay { get; init; }

    [CommandOption("--beta1 <B>"), Description("Adam and AdamW first-moment decay (default 0.9)")]
    public double? Beta1 { get; init; }

    [CommandOption("--beta2 <B>"), Description("Adam and AdamW second-moment decay (default 0.999)")]
    public double? Beta2 { get; init; }

    [CommandOption("--schedule <NAME>"), Description("constant, step, cosine (default) or plateau")]
    public string? Schedule { get; init; }

    [CommandOption("--warmup-steps <N>"), Description("Linear warm-up steps (default 100)")]
    public int? WarmupSteps { get; init; }

    [CommandOption("--step-size <N>"), Description("Step schedule: decay every N steps (default 2000)")]
    public int? StepSize { get; init; }

    [CommandOption("--gamma <G>"), Description("Step and plateau schedules: decay factor (default 0.5)")]
    public double? Gamma { get; init; }

    [CommandOption("--min-lr-fraction <F>"), Description("Cosine schedule floor, as a share of --lr (default 0.1)")]
    public double? MinLrFraction { get; init; }

    [CommandOption("--plateau-patience <N>")]
    [Description("Plateau schedule: evaluations without gain before a drop (default 1)")]
    public int? PlateauPatience { get; init; }

    [CommandOption("--clip-mode <MODE>"), Description("norm (global norm, default), value or none")]
    public string? ClipMode { get; init; }

    [CommandOption("--clip <C>"), Description("Clipping threshold (default 5)")]
    public double? Clip { get; init; }

    /// <summary>Lays the optimizer flags that were given over <paramref name="config"/>.</summary>
    public OptimConfig ApplyTo(OptimConfig config) => config with
    {
        Optimizer = Optimizer is { } o ? EnumNames.Parse<OptimizerKind>(o, "--optimizer") : config.Optimizer,
        LearningRate = LearningRate ?? config.LearningRate,
        Momentum = Momentum ?? config.Momentum,
        Nesterov = Nesterov || config.Nesterov,
        WeightDecay = WeightDecay ?? config.WeightDecay,
        Beta1 = Beta1 ?? config.Beta1,
        Beta2 = Beta2 ?? config.Beta2,
        Schedule = Schedule is { } sc ? EnumNames.Parse<ScheduleKind>(sc, "--schedule") : config.Schedule,
        WarmupSteps = WarmupSteps ?? config.WarmupSteps,
        StepSize = StepSize ?? config.StepSize,
        Gamma = Gamma ?? config.Gamma,
        MinLrFraction = MinLrFraction ?? config.MinLrFraction,
        PlateauPatience = PlateauPatience ?? config.PlateauPatience,
        ClipMode = ClipMode is { } cm ? EnumNames.Parse<ClipMode>(cm, "--clip-mode") : config.ClipMode,
        Clip = Clip ?? config.Clip,
    };
}

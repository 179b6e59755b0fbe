namespace RnnLab.Configuration;

/// <summary>The optimizer, its learning-rate schedule and gradient clipping.</summary>
public sealed record OptimConfig
{
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;

    public double LearningRate { get; init; } = 2e-3;

    /// <summary>SGD and RMSprop momentum.</summary>
    public double Momentum { get; init; } = 0.9;

    public bool Nesterov { get; init; }

    public double WeightDecay { get; init; }

    public double Beta1 { get; init; } = 0.9;

    public double Beta2 { get; init; } = 0.999;

    public ScheduleKind Schedule { get; init; } = ScheduleKind.Cosine;

    /// <summary>Steps of linear warm-up from zero (every schedule).</summary>
    public int WarmupSteps { get; init; } = 100;

    /// <summary>Step schedule: multiply by <see cref="Gamma"/> every this many steps.</summary>
    public int StepSize { get; init; } = 2000;

    public double Gamma { get; init; } = 0.5;

    /// <summary>Cosine schedule: the floor, as a fraction of the peak learning rate.</summary>
    public double MinLrFraction { get; init; } = 0.1;

    /// <summary>Plateau schedule: evaluations without improvement before the rate drops.</summary>
    public int PlateauPatience { get; init; } = 1;

    public ClipMode ClipMode { get; init; } = ClipMode.Norm;

    /// <summary>Global-norm limit (clip mode norm) or per-element limit (clip mode value).</summary>
    public double Clip { get; init; } = 5;

    public void Validate()
    {
        Check.Above("lr", LearningRate, 0, 100);
        Check.Range("momentum", Momentum, 0, 0.999);
        Check.Range("weight-decay", WeightDecay, 0, 10);
        Check.Range("beta1", Beta1, 0, 0.9999);
        Check.Range("beta2", Beta2, 0, 0.99999);
        Check.Range("warmup-steps", WarmupSteps, 0, 10_000_000);
        Check.Range("step-size", StepSize, 1, 10_000_000);
        Check.Above("gamma", Gamma, 0, 1);
        Check.Range("min-lr-fraction", MinLrFraction, 0, 1);
        Check.Range("plateau-patience", PlateauPatience, 0, 1000);
        if (ClipMode != ClipMode.None)
        {
            Check.Above("clip", Clip, 0, 1e6);
        }
        if (Nesterov && (Optimizer != OptimizerKind.Sgd || Momentum == 0))
        {
            throw new RnnLabException("--nesterov needs --optimizer sgd with --momentum above 0");
        }
    }
}

using RnnLab.Configuration;

namespace RnnLab.Training;

/// <summary>The schedule's mutable part, saved in checkpoints so a resumed run gets the same rates.</summary>
public sealed record ScheduleState
{
    /// <summary>Product of the plateau drops so far.</summary>
    public double PlateauFactor { get; init; } = 1;

    public double PlateauBest { get; init; } = double.PositiveInfinity;

    public int PlateauBadEvals { get; init; }

    /// <summary>Product of the cuts made after non-finite losses.</summary>
    public double RecoveryFactor { get; init; } = 1;

    /// <summary>Cosine: the step where the rate reaches its floor (0 until known).</summary>
    public long Horizon { get; init; }
}

/// <summary>
/// The learning rate at each step: linear warm-up, then constant, step decay, cosine decay to a floor,
/// or drops on plateaus of the validation loss; times any cuts made after non-finite losses.
/// </summary>
public sealed class LearningRateSchedule(OptimConfig config)
{
    public ScheduleState State { get; set; } = new();

    /// <summary>The rate for optimizer step <paramref name="step"/> (1-based).</summary>
    public double At(long step)
    {
        var warmup = config.WarmupSteps > 0 ? Math.Min(1.0, (double)step / config.WarmupSteps) : 1.0;
        var shape = config.Schedule switch
        {
            ScheduleKind.Step => Math.Pow(config.Gamma, step / config.StepSize),
            ScheduleKind.Cosine => Cosine(step),
            ScheduleKind.Plateau => State.PlateauFactor,
            _ => 1.0,
        };
        return config.LearningRate * warmup * shape * State.RecoveryFactor;
    }

    /// <summary>Feeds a validation loss to the plateau schedule.</summary>
    public void OnEvaluation(double validationLoss)
    {
        if (config.Schedule != ScheduleKind.Plateau)
        {
            return;
        }
        if (validationLoss < State.PlateauBest - 1e-4)
        {
            State = State with { PlateauBest = validationLoss, PlateauBadEvals = 0 };
        }
        else if (State.PlateauBadEvals + 1 > config.PlateauPatience)
        {
            State = State with { PlateauFactor = State.PlateauFactor * config.Gamma, PlateauBadEvals = 0 };
        }
        else
        {
            State = State with { PlateauBadEvals = State.PlateauBadEvals + 1 };
        }
    }

    public void CutAfterNonFinite(double factor) =>
        State = State with { RecoveryFactor = State.RecoveryFactor * factor };

    public void SetHorizon(long step) => State = State with { Horizon = Math.Max(step, 1) };

    private double Cosine(long step)
    {
        if (State.Horizon <= config.WarmupSteps)
        {
            return 1.0;
        }
        var progress = Math.Clamp((double)(step - config.WarmupSteps) / (State.Horizon - config.WarmupSteps), 0, 1);
        var floor = config.MinLrFraction;
        return floor + (1 - floor) * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}

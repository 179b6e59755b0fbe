namespace RnnLab.Training;

/// <summary>Where training stands: saved in every checkpoint so a resume continues exactly.</summary>
public sealed record TrainingProgress
{
    /// <summary>Optimizer steps taken so far.</summary>
    public long Step { get; init; }

    /// <summary>The epoch in progress (0-based) and the next window of it.</summary>
    public int Epoch { get; init; }

    public int WindowInEpoch { get; init; }

    /// <summary>Non-padding target characters trained on so far.</summary>
    public long Tokens { get; init; }

    public double BestValidationLoss { get; init; } = double.PositiveInfinity;

    public long BestStep { get; init; }

    public int EvalsWithoutImprovement { get; init; }

    public double TrainSeconds { get; init; }

    public int NonFiniteSteps { get; init; }
}

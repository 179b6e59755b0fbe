using System.Text.Json.Serialization;

namespace RnnLab.Configuration;

/// <summary>The training loop: loss, when to stop, when to evaluate and log.</summary>
public sealed record TrainConfig
{
    public LossOn LossOn { get; init; } = LossOn.All;

    /// <summary>
    /// Weight of a loss on the state after each &lt;eos&gt;: its squared distance from the zero state a
    /// document starts from (documents mode; 0: off).
    /// </summary>
    public double EosStateLoss { get; init; }

    /// <summary>Stop after this many epochs (0: no epoch limit).</summary>
    public int Epochs { get; init; }

    /// <summary>Stop at this optimizer step, counted from the start of the run (0: no limit).</summary>
    public long Steps { get; init; }

    /// <summary>Stop after this many seconds of this invocation (0: no limit).</summary>
    public double TimeLimitSeconds { get; init; }

    public int EvalEvery { get; init; } = 500;

    /// <summary>Validation windows per evaluation (0: the whole validation split).</summary>
    public int EvalBatches { get; init; }

    /// <summary>Early stopping: evaluations without improvement before stopping (0: off).</summary>
    public int Patience { get; init; }

    public int LogEvery { get; init; } = 100;

    public int Seed { get; init; } = 1337;

    /// <summary>Characters sampled after each evaluation, to see progress.</summary>
    public int SampleLength { get; init; } = 200;

    /// <summary>Non-finite losses in a row tolerated before training stops.</summary>
    public int MaxNonFinite { get; init; } = 5;

    /// <summary>
    /// Write TensorBoard event files into the run's tensorboard/ folder. Kept in the config, so a
    /// resumed run keeps writing them.
    /// </summary>
    [JsonPropertyName("tensorboard")] // the flag's name, not the kebab-case policy's "tensor-board"
    public bool TensorBoard { get; init; }

    public void Validate()
    {
        Check.Range("eos-state-loss", EosStateLoss, 0, 1e6);
        Check.Range("epochs", Epochs, 0, 1_000_000);
        Check.Range("steps", Steps, 0, 1e12);
        Check.Range("time-limit", TimeLimitSeconds, 0, 1e9);
        Check.Range("eval-every", EvalEvery, 1, 1e9);
        Check.Range("eval-batches", EvalBatches, 0, 1e9);
        Check.Range("patience", Patience, 0, 1e6);
        Check.Range("log-every", LogEvery, 1, 1e9);
        Check.Range("sample-length", SampleLength, 0, 1e6);
        Check.Range("max-non-finite", MaxNonFinite, 1, 1000);
        Check.HasEnd(Epochs, Steps, TimeLimitSeconds, "10m");
    }
}

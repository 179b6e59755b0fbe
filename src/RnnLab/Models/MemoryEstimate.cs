using RnnLab.Configuration;

namespace RnnLab.Models;

/// <summary>
/// A rough memory need for training, checked before anything is allocated: a model too large for
/// the machine should be an error message, not an out-of-memory kill minutes later.
/// </summary>
public static class MemoryEstimate
{
    /// <summary>Parameters of a <see cref="CharRnn"/> with this config.</summary>
    public static long Parameters(ModelConfig model, int vocabularySize)
    {
        long gates = model.Cell switch
        {
            CellKind.Lstm => 4,
            CellKind.Gru => 3,
            _ => 1,
        };
        long hidden = model.Hidden;
        long input = model.Embedding == 0 ? vocabularySize : model.Embedding;
        var embedding = model.Embedding == 0 ? 0 : (long)vocabularySize * model.Embedding;
        var recurrent = gates * (input * hidden + hidden * hidden + 2 * hidden)
            + (model.Layers - 1) * gates * (2 * hidden * hidden + 2 * hidden);
        return embedding + recurrent + hidden * vocabularySize + vocabularySize;
    }

    /// <summary>
    /// Bytes for weights, gradients and two optimizer moments (4 copies of the parameters) plus the
    /// activations kept for backprop of one window (B x T steps, a few copies per layer).
    /// </summary>
    public static long TrainingBytes(RunConfig config, int vocabularySize)
    {
        var positions = (long)config.Data.BatchSize * config.Data.Bptt;
        var activations = positions * (8L * config.Model.Hidden * config.Model.Layers + 3L * vocabularySize);
        return 4 * (4 * Parameters(config.Model, vocabularySize) + activations);
    }

    /// <summary>Refuses a config whose estimate exceeds 80% of the memory this process may use.</summary>
    public static void Check(RunConfig config, int vocabularySize)
    {
        var available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        var needed = TrainingBytes(config, vocabularySize);
        if (available > 0 && needed > 0.8 * available)
        {
            var parameters = Parameters(config.Model, vocabularySize);
            var need = string.Create(CultureInfo.InvariantCulture,
                $"about {needed / 1e9:F1} GB to train ({parameters:N0} parameters)");
            var have = string.Create(CultureInfo.InvariantCulture, $"{available / 1e9:F1} GB");
            throw new RnnLabException($"this model needs {need}, more than the {have} this machine has; " +
                "lower --hidden, --layers, --batch-size or --bptt");
        }
    }
}

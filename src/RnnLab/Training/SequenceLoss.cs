using RnnLab.Configuration;
using RnnLab.Data;

namespace RnnLab.Training;

// B batch, T time, V vocabulary.

/// <summary>
/// Cross-entropy over time steps. Padding targets carry the &lt;pad&gt; id, which cross_entropy's
/// ignore_index drops from both the sum and the count, so padding never moves the loss.
/// </summary>
public static class SequenceLoss
{
    /// <summary>Mean loss in nats over the counted positions: every non-padding step, or the last.</summary>
    public static Tensor Mean(Tensor logits, Tensor targets, LossOn lossOn) => lossOn == LossOn.All
        ? Reduce(logits, targets, nn.Reduction.Mean)
        : LastStep(logits, targets);

    /// <summary>Summed loss in nats over every non-padding step (for evaluation).</summary>
    public static Tensor Sum(Tensor logits, Tensor targets) => Reduce(logits, targets, nn.Reduction.Sum);

    private static Tensor Reduce(Tensor logits, Tensor targets, nn.Reduction reduction)
    {
        var vocabulary = logits.shape[^1];
        return nn.functional.cross_entropy(logits.reshape(-1, vocabulary), targets.reshape(-1),
            ignore_index: Vocabulary.Pad, reduction: reduction);
    }

    // the diary's first question: what if only the last step of each window is trained on? In
    // documents mode "last" is each row's last non-padding step, so short rows still count.
    private static Tensor LastStep(Tensor logits, Tensor targets)
    {
        var (rows, steps) = (targets.shape[0], targets.shape[1]);
        var valid = targets.ne(Vocabulary.Pad); // (B, T)
        var positions = torch.arange(steps, device: targets.device).expand(rows, steps); // (B, T)
        var last = positions.mul(valid).argmax(1).unsqueeze(1); // (B, 1)
        var lastLogits = logits.gather(1, last.unsqueeze(2).expand(rows, 1, logits.shape[2])); // (B, 1, V)
        return Reduce(lastLogits, targets.gather(1, last), nn.Reduction.Mean);
    }
}

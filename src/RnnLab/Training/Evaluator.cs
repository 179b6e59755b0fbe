using RnnLab.Data;
using RnnLab.Models;

namespace RnnLab.Training;

/// <summary>Loss over a split: nats per character, and the same as bits per character and perplexity.</summary>
/// <param name="EndStateNorm">Documents: the mean ‖h‖ of the top layer after reading each &lt;eos&gt;
/// (how far from the zero start state a document leaves the model); null when no window read one.</param>
public sealed record EvalResult(double Loss, long Tokens, double? EndStateNorm = null)
{
    public double BitsPerChar => Loss / Math.Log(2);

    public double Perplexity => Math.Exp(Loss);
}

public static class Evaluator
{
    /// <summary>
    /// Validation batches (windows) the last evaluation of a run stopped by a signal reads: a stop
    /// should end a run in seconds, not after a split that can take minutes.
    /// </summary>
    public const int StopBatches = 8;

    /// <summary>
    /// Runs <paramref name="source"/>'s windows in order with the state carried exactly as in
    /// training, no dropout and no gradients. <paramref name="maxWindows"/> 0 means all of them.
    /// </summary>
    /// <exception cref="OperationCanceledException">When <paramref name="cancel"/> fires.</exception>
    public static EvalResult Evaluate(
        CharRnn model,
        IWindowSource source,
        int maxWindows = 0,
        CancellationToken cancel = default)
    {
        var wasTraining = model.training;
        model.eval();
        using var noGrad = torch.no_grad();
        // loss, ‖h‖ after <eos> and their count, summed on the device and read once at the end
        using var totals = torch.zeros(3, dtype: ScalarType.Float64, device: model.Device());
        RecurrentState? state = null;
        long tokens = 0;
        var windows = source.Windows(0);
        if (maxWindows > 0)
        {
            windows = windows.Take(maxWindows);
        }
        try
        {
            foreach (var window in windows)
            {
                using var scope = torch.NewDisposeScope();
                using var _ = window;
                cancel.ThrowIfCancellationRequested();
                if (window.StartsSequence)
                {
                    state?.Dispose();
                    state = null;
                }
                var (logits, output, next) = model.Run(window.Input, state, window.Classes); // (B, T, V)
                totals.add_(torch.cat([SequenceLoss.Sum(logits, window.Target).to(ScalarType.Float64).unsqueeze(0),
                    EosStateLoss.NormTotals(output, window.Input)]));
                tokens += window.Tokens;
                state?.Dispose();
                state = next.MoveToOuterDisposeScope();
            }
        }
        finally
        {
            // a cancelled evaluation leaves the model as it found it, too
            state?.Dispose();
            model.train(wasTraining);
        }
        var sums = totals.cpu().data<double>().ToArray();
        var (loss, normSum, ends) = (sums[0], sums[1], sums[2]);
        return new EvalResult(tokens == 0 ? double.NaN : loss / tokens, tokens, ends > 0 ? normSum / ends : null);
    }
}

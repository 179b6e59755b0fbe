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
        using var total = torch.zeros(1, dtype: ScalarType.Float64);
        using var endNorms = torch.zeros(2, dtype: ScalarType.Float64); // sum, count
        RecurrentState? state = null;
        long tokens = 0;
        var windows = source.Windows(0);
        if (maxWindows > 0)
        {
            windows = windows.Take(maxWindows);
        }
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
            total.add_(SequenceLoss.Sum(logits, window.Target).to(ScalarType.Float64).cpu());
            var norms = EosStateLoss.NormsAfterEnd(output, window.Input).to(ScalarType.Float64);
            endNorms.add_(torch.stack([norms.sum(), torch.tensor((double)norms.shape[0], ScalarType.Float64,
                norms.device)]).cpu());
            tokens += window.Tokens;
            state?.Dispose();
            state = next.MoveToOuterDisposeScope();
        }
        state?.Dispose();
        model.train(wasTraining);
        var (normSum, ends) = (endNorms[0].item<double>(), endNorms[1].item<double>());
        return new EvalResult(tokens == 0 ? double.NaN : total.item<double>() / tokens, tokens,
            ends > 0 ? normSum / ends : null);
    }
}

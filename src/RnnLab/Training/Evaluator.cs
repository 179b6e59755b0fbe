using RnnLab.Data;
using RnnLab.Models;

namespace RnnLab.Training;

/// <summary>Loss over a split: nats per character, and the same as bits per character and perplexity.</summary>
public sealed record EvalResult(double Loss, long Tokens)
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
            var (logits, next) = model.forward(window.Input, state, window.Classes); // (B, T, V)
            total.add_(SequenceLoss.Sum(logits, window.Target).to(ScalarType.Float64).cpu());
            tokens += window.Tokens;
            state?.Dispose();
            state = next.MoveToOuterDisposeScope();
        }
        state?.Dispose();
        model.train(wasTraining);
        return new EvalResult(tokens == 0 ? double.NaN : total.item<double>() / tokens, tokens);
    }
}

namespace RnnLab.Models;

/// <summary>
/// The hidden state between windows: h (L, B, H) for every cell, plus c (L, B, H) for an LSTM.
/// </summary>
public sealed class RecurrentState(Tensor h, Tensor? c) : IDisposable
{
    public Tensor H { get; } = h;

    public Tensor? C { get; } = c;

    /// <summary>
    /// A copy cut from the autograd graph. Truncated backprop: the next window starts from these
    /// values, but its gradients stop here instead of flowing back through every earlier window.
    /// </summary>
    public RecurrentState Detach() => new(H.detach(), C?.detach());

    /// <summary>Keeps the tensors alive when the dispose scope they were made in ends.</summary>
    public RecurrentState MoveToOuterDisposeScope()
    {
        H.MoveToOuterDisposeScope();
        C?.MoveToOuterDisposeScope();
        return this;
    }

    public RecurrentState DetachFromDisposeScope()
    {
        H.DetachFromDisposeScope();
        C?.DetachFromDisposeScope();
        return this;
    }

    public IEnumerable<Tensor> Tensors() => C is null ? [H] : [H, C];

    public void Dispose()
    {
        H.Dispose();
        C?.Dispose();
    }
}

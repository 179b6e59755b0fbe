namespace RnnLab.Data;

/// <summary>
/// One truncated-backprop window: input ids (B, T) and the targets (B, T), which are the inputs
/// shifted one step left. <see cref="StartsSequence"/> says the hidden state must restart at zero.
/// <see cref="Tokens"/> counts the non-padding targets, known on the host without a device sync.
/// <see cref="Classes"/> holds each row's class (B) when the model is conditioned on one.
/// </summary>
public sealed record Window(Tensor Input, Tensor Target, bool StartsSequence, long Tokens, Tensor? Classes = null)
    : IDisposable
{
    public void Dispose()
    {
        Input.Dispose();
        Target.Dispose();
        Classes?.Dispose();
    }
}

/// <summary>Yields the windows of one epoch in order, lazily, so a resumed run can skip ahead cheaply.</summary>
public interface IWindowSource : IDisposable
{
    int WindowCount(int epoch);

    /// <summary>The windows of <paramref name="epoch"/> from index <paramref name="skip"/> on.</summary>
    IEnumerable<Window> Windows(int epoch, int skip = 0);
}

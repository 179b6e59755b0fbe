using RnnLab.Data;

namespace RnnLab.Training;

// B batch, T time, H hidden.

/// <summary>One training window's top-layer hidden states, with the ids around them.</summary>
/// <param name="Output">h_t of the top layer (B, T, H), in the graph: a loss on it trains the model.</param>
/// <param name="Input">The ids read at each step (B, T); h_t is the state after reading Input[:, t].</param>
/// <param name="Target">The ids to predict (B, T); &lt;pad&gt; where a row has ended.</param>
public sealed record HiddenStates(Tensor Output, Tensor Input, Tensor Target);

/// <summary>
/// A term added to the training loss, computed from the hidden states: the library's hook for losses
/// on the state. Give instances to the <see cref="Trainer"/>; each term's mean over a log interval is
/// written to metrics.jsonl under its <see cref="Name"/>.
/// </summary>
public interface IHiddenStateLoss
{
    /// <summary>A plain key for metrics.jsonl and the log line, e.g. "eos_state".</summary>
    string Name { get; }

    /// <summary>
    /// The weighted term, a scalar tensor. It must not read values back to the host (no item()), so a
    /// step keeps running without synchronising with the device.
    /// </summary>
    Tensor Loss(HiddenStates states);
}

/// <summary>
/// <c>--eos-state-loss WEIGHT</c>: at each &lt;eos&gt;, the squared distance of the state after it from
/// the zero state every document starts from, averaged over the &lt;eos&gt; in the window, times the
/// weight. It teaches a model to return to its start state between documents, so generation can run
/// on from one document into the next without a reset.
/// </summary>
/// TODO: only the top layer's h is reached: the fused modules return no other layer's states (nor an
/// LSTM's cell c) per step; a step-cell trainer would reach all of them, at a large cost in speed.
public sealed class EosStateLoss(double weight) : IHiddenStateLoss
{
    public string Name => "eos_state";

    public Tensor Loss(HiddenStates states)
    {
        var atEnd = states.Input.eq(Vocabulary.Eos).to(states.Output.dtype); // (B, T)
        var squared = states.Output.pow(2).sum(2); // (B, T)
        // a window with no <eos> gives 0, without a branch that would read the count back
        return weight * (squared * atEnd).sum() / atEnd.sum().clamp_min(1);
    }

    /// <summary>‖h‖ after each &lt;eos&gt; (a vector over them), for reports.</summary>
    public static Tensor NormsAfterEnd(Tensor output, Tensor input) =>
        Norms(output).masked_select(input.eq(Vocabulary.Eos));

    /// <summary>The sum of ‖h‖ after each &lt;eos&gt; and their count, in double, on the device.</summary>
    internal static Tensor NormTotals(Tensor output, Tensor input)
    {
        var atEnd = input.eq(Vocabulary.Eos).to(ScalarType.Float64); // (B, T)
        return torch.stack([(Norms(output).to(ScalarType.Float64) * atEnd).sum(), atEnd.sum()]);
    }

    private static Tensor Norms(Tensor output) => output.pow(2).sum(2).sqrt(); // (B, T)
}

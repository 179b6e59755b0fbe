using RnnLab.Configuration;
using RnnLab.Data;

namespace RnnLab.Seq2Seq;

// B batch, S source positions, H hidden.

/// <summary>
/// Luong's scores of each encoder state h_s against the decoder's top state h_t, softmaxed over
/// the real source positions only: padding gets -inf before the softmax, so its weight is exactly 0.
/// <list type="bullet">
/// <item><c>dot</c>: h_t · h_s</item>
/// <item><c>general</c>: h_t · (W h_s), with <c>key</c> = W (no bias), W starting as the identity</item>
/// <item><c>concat</c>: v · tanh(W_t h_t + W_s h_s), with <c>query</c> = W_t, <c>key</c> = W_s, <c>v</c></item>
/// </list>
/// The part that depends only on the source (W h_s, W_s h_s) is computed once per sentence by
/// <see cref="Keys"/>, not at every decoder step.
/// </summary>
public sealed class LuongAttention : nn.Module
{
    private readonly Linear? key;
    private readonly Linear? query;
    private readonly Linear? v;

    public LuongAttention(AttentionKind kind, int hidden) : base(nameof(LuongAttention))
    {
        if (kind == AttentionKind.None)
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "attention 'none' has no scores");
        }
        Kind = kind;
        key = kind == AttentionKind.Dot ? null : nn.Linear(hidden, hidden, hasBias: false);
        query = kind == AttentionKind.Concat ? nn.Linear(hidden, hidden, hasBias: false) : null;
        v = kind == AttentionKind.Concat ? nn.Linear(hidden, 1, hasBias: false) : null;
        if (kind == AttentionKind.General)
        {
            // W starts as I, so general begins as dot and learns its bilinear form from there. From
            // the default init (entries of ±1/√H) the scores start near 0, the weights near uniform, and
            // the gradient that would sharpen them is as small: on the tutorial's eng-fra subset that
            // run ended 10 minutes level with no attention at all (docs/seq2seq.md).
            using var noGrad = torch.no_grad();
            using var identity = torch.eye(hidden);
            key!.weight!.copy_(identity);
        }
        RegisterComponents();
    }

    public AttentionKind Kind { get; }

    /// <param name="memory">Encoder states (B, S, H).</param>
    /// <returns>What the scores compare h_t against (B, S, H).</returns>
    public Tensor Keys(Tensor memory) => key is null ? memory : key.forward(memory);

    /// <param name="top">The decoder's top state h_t (B, H).</param>
    /// <param name="keys">From <see cref="Keys"/> (B, S, H).</param>
    /// <param name="mask">True at real source positions (B, S).</param>
    /// <returns>Attention weights (B, S): each row sums to 1 over its real positions, 0 on padding.</returns>
    public Tensor Weights(Tensor top, Tensor keys, Tensor mask)
    {
        var scores = Kind == AttentionKind.Concat
            ? v!.forward(keys.add(query!.forward(top).unsqueeze(1)).tanh()).squeeze(2) // (B, S)
            : keys.bmm(top.unsqueeze(2)).squeeze(2); // (B, S)
        return scores.masked_fill(mask.logical_not(), double.NegativeInfinity).softmax(1);
    }
}

using RnnLab.Configuration;
using RnnLab.Data;

namespace RnnLab.Seq2Seq;

// B batch, S source length, T target length, E embedding, H hidden, L layers, D directions,
// V target vocabulary.

/// <summary>
/// The encoder's output for a batch: its states as attention reads them, which positions are real,
/// and the keys attention compares against (computed once per sentence).
/// </summary>
public sealed record EncodedSource(Tensor Memory, Tensor Mask, Tensor? Keys)
{
    /// <summary>The rows at <paramref name="index"/> (beam search follows its surviving hypotheses).</summary>
    public EncodedSource Select(Tensor index) =>
        new(Memory.index_select(0, index), Mask.index_select(0, index), Keys?.index_select(0, index));
}

/// <summary>
/// The decoder between steps: each layer's h (B, H) and, for an LSTM, c; and the attentional state
/// h~ of the last step (B, H), fed back with the next character when input feeding is on.
/// </summary>
public sealed record DecoderState(Tensor[] H, Tensor[]? C, Tensor? Feed)
{
    public DecoderState Select(Tensor index) => new(H.Select(h => h.index_select(0, index)).ToArray(),
        C?.Select(c => c.index_select(0, index)).ToArray(), Feed?.index_select(0, index));

    public DecoderState MoveToOuterDisposeScope()
    {
        foreach (var t in H.Concat(C ?? []).Append(Feed).OfType<Tensor>())
        {
            t.MoveToOuterDisposeScope();
        }
        return this;
    }
}

/// <summary>
/// A character encoder-decoder with Luong attention. The encoder is libtorch's fused module over the
/// packed source (padding never enters the recurrence, in either direction). The decoder is a fused
/// module's weights run one step at a time as cell arithmetic (calling the fused LSTM for one step
/// costs a oneDNN weight reorder each time), so its state dict reads like PyTorch's.
/// Each step: h_t from the previous character (and h~_{t-1}), then attention weights a_t over the
/// source, context c_t = Σ a_t h_s, h~_t = tanh(W_c [c_t; h_t]) and logits = W_o h~_t.
/// </summary>
public sealed partial class Seq2SeqModel : nn.Module
{
    private readonly Embedding source_embedding;
    private readonly nn.Module encoder;
    private readonly Linear? bridge;
    private readonly Embedding target_embedding;
    private readonly nn.Module decoder;
    private readonly LuongAttention? attention;
    private readonly Linear? combine;
    private readonly Linear output;
    private readonly Dropout drop;

    public Seq2SeqModel(Seq2SeqModelConfig config, int sourceVocabulary, int targetVocabulary)
        : base(nameof(Seq2SeqModel))
    {
        Config = config;
        TargetVocabulary = targetVocabulary;
        var (h, layers) = (config.Hidden, config.Layers);
        source_embedding = nn.Embedding(sourceVocabulary, config.Embedding, padding_idx: Vocabulary.Pad);
        encoder = Fused(config.Cell, config.Embedding, h, layers, layers > 1 ? config.Dropout : 0,
            config.Bidirectional);
        bridge = config.Bidirectional ? nn.Linear(2 * h, h, hasBias: false) : null;
        target_embedding = nn.Embedding(targetVocabulary, config.Embedding, padding_idx: Vocabulary.Pad);
        decoder = Fused(config.Cell, config.Embedding + (Feeds ? h : 0), h, layers, 0, false);
        attention = config.Attention == AttentionKind.None ? null : new LuongAttention(config.Attention, h);
        combine = attention is null ? null : nn.Linear(2 * h, h, hasBias: false);
        output = nn.Linear(h, targetVocabulary);
        drop = nn.Dropout(config.Dropout);
        RegisterComponents();
    }

    public Seq2SeqModelConfig Config { get; }

    public int TargetVocabulary { get; }

    /// <summary>Whether h~ goes back in with the next character (input feeding, with attention only).</summary>
    public bool Feeds => Config.InputFeeding && Config.Attention != AttentionKind.None;

    /// <param name="source">Right-padded source ids (B, S).</param>
    /// <param name="lengths">Each source's length (B), int64 on the CPU, all at least 1.</param>
    /// <returns>What the decoder attends to, and its starting state: the encoder's final states.</returns>
    public (EncodedSource Source, DecoderState State) Encode(Tensor source, Tensor lengths)
    {
        var x = Drop(source_embedding.forward(source)); // (B, S, E)
        using var packed = nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first: true, enforce_sorted: false);
        var (outputs, hN, cN) = RunEncoder(packed); // (B, S, D*H), (L*D, B, H)
        var memory = bridge is null ? outputs : bridge.forward(outputs); // (B, S, H)
        var mask = torch.arange(source.shape[1], device: source.device).unsqueeze(0)
            .lt(lengths.to(source.device).unsqueeze(1)); // (B, S)
        var state = new DecoderState(Layers(hN), cN is null ? null : Layers(cN),
            Feeds ? torch.zeros(source.shape[0], Config.Hidden, device: source.device) : null);
        return (new EncodedSource(memory, mask, attention?.Keys(memory)), state);
    }

    /// <summary>One decoder step.</summary>
    /// <param name="previous">The previous output character of each row (B): &lt;bos&gt; first.</param>
    /// <returns>Next-character logits (B, V), the new state, and the attention weights (B, S) or null.</returns>
    public (Tensor Logits, DecoderState State, Tensor? Weights) Step(Tensor previous, DecoderState state,
        EncodedSource source)
    {
        var x = Drop(target_embedding.forward(previous)); // (B, E)
        if (state.Feed is not null)
        {
            x = torch.cat([x, state.Feed], 1); // (B, E+H)
        }
        var (hs, cs) = Cells(x, state);
        var top = hs[^1]; // (B, H)
        if (attention is null)
        {
            return (output.forward(Drop(top)), new DecoderState(hs, cs, null), null);
        }
        var weights = attention.Weights(top, source.Keys!, source.Mask); // (B, S)
        var context = weights.unsqueeze(1).bmm(source.Memory).squeeze(1); // (B, H)
        var attentional = combine!.forward(torch.cat([context, top], 1)).tanh(); // (B, H)
        var logits = output.forward(Drop(attentional)); // (B, V)
        return (logits, new DecoderState(hs, cs, Feeds ? attentional : null), weights);
    }

    /// <summary>
    /// Teacher-forced (or partly free-running) logits for a whole batch: at each step, with probability
    /// <paramref name="teacherForcing"/>, the true previous character goes in, else the model's own guess.
    /// </summary>
    /// <returns>Logits (B, T, V).</returns>
    public Tensor forward(PairBatch batch, double teacherForcing = 1, Random? random = null)
    {
        var (source, state) = Encode(batch.Source, batch.SourceLengths);
        var steps = batch.Input.shape[1];
        var outputs = new Tensor[steps];
        var previous = batch.Input.select(1, 0); // (B)
        for (var t = 0; t < steps; t++)
        {
            var (logits, next, _) = Step(previous, state, source);
            outputs[t] = logits;
            state = next;
            if (t + 1 < steps)
            {
                // NOTE: one draw per step for the whole batch, not one per sentence: a single token tensor
                var forced = teacherForcing >= 1 || (random ?? Random.Shared).NextDouble() < teacherForcing;
                previous = forced ? batch.Input.select(1, t + 1) : logits.detach().argmax(1);
            }
        }
        return torch.stack(outputs, 1); // (B, T, V)
    }

    /// <summary>
    /// Mean cross-entropy over the real target characters of the batch (&lt;eos&gt; included);
    /// padding is ignored (ignore index &lt;pad&gt;), so a pair's terms do not depend on its batch.
    /// </summary>
    public static Tensor Loss(Tensor logits, Tensor target) =>
        nn.functional.cross_entropy(logits.reshape(-1, logits.shape[2]), target.reshape(-1),
            ignore_index: Vocabulary.Pad);

    private Tensor Drop(Tensor x) => Config.Dropout > 0 ? drop.forward(x) : x;

    // (L*D, B, H) to one (B, H) per layer, the directions summed
    private Tensor[] Layers(Tensor final)
    {
        var directions = Config.Bidirectional ? 2 : 1;
        var perLayer = final.view(Config.Layers, directions, final.shape[1], final.shape[2]).sum(1); // (L, B, H)
        return Enumerable.Range(0, Config.Layers).Select(l => perLayer[l]).ToArray();
    }

    private static nn.Module Fused(CellKind cell, int input, int hidden, int layers, double dropout, bool both) =>
        cell switch
        {
            CellKind.Lstm => nn.LSTM(input, hidden, layers, batchFirst: true, dropout: dropout, bidirectional: both),
            CellKind.Gru => nn.GRU(input, hidden, layers, batchFirst: true, dropout: dropout, bidirectional: both),
            CellKind.RnnTanh => nn.RNN(input, hidden, layers, nn.NonLinearities.Tanh, batchFirst: true,
                dropout: dropout, bidirectional: both),
            CellKind.RnnRelu => nn.RNN(input, hidden, layers, nn.NonLinearities.ReLU, batchFirst: true,
                dropout: dropout, bidirectional: both),
            _ => throw new RnnLabException($"--cell {EnumNames.Name(cell)} cannot be a seq2seq encoder"),
        };
}

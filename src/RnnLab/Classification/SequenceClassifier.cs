using RnnLab.Configuration;

namespace RnnLab.Classification;

// B batch, L longest item, E embedding (V when one-hot), H hidden, D directions, K classes.

/// <summary>
/// Many-to-one: characters, an embedding (or one-hot), a recurrent encoder, and from the state after
/// each item's own last character a linear layer to class scores. Fused cells read the batch as a
/// packed sequence, so padding never enters the recurrence in either direction and an item's scores
/// do not depend on what shares its batch. The Elman cell is the diary's hand-built one.
/// </summary>
public sealed class SequenceClassifier : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Embedding? embedding;
    private readonly nn.Module? rnn;
    private readonly ElmanCell? elman;
    private readonly Dropout drop;
    private readonly Linear? head;

    public SequenceClassifier(ClassifierModelConfig config, int vocabularySize, int classCount)
        : base(nameof(SequenceClassifier))
    {
        Config = config;
        VocabularySize = vocabularySize;
        ClassCount = classCount;
        var inputSize = config.Embedding == 0 ? vocabularySize : config.Embedding;
        embedding = config.Embedding == 0 ? null : nn.Embedding(vocabularySize, config.Embedding);
        var betweenLayers = config.Layers > 1 ? config.Dropout : 0.0;
        var (h, layers, both) = (config.Hidden, config.Layers, config.Bidirectional);
        rnn = config.Cell switch
        {
            CellKind.Lstm => nn.LSTM(inputSize, h, layers, batchFirst: true, dropout: betweenLayers,
                bidirectional: both),
            CellKind.Gru => nn.GRU(inputSize, h, layers, batchFirst: true, dropout: betweenLayers,
                bidirectional: both),
            CellKind.RnnTanh => nn.RNN(inputSize, h, layers, nn.NonLinearities.Tanh, batchFirst: true,
                dropout: betweenLayers, bidirectional: both),
            CellKind.RnnRelu => nn.RNN(inputSize, h, layers, nn.NonLinearities.ReLU, batchFirst: true,
                dropout: betweenLayers, bidirectional: both),
            _ => null,
        };
        elman = config.Cell == CellKind.Elman ? new ElmanCell(inputSize, h, classCount) : null;
        drop = nn.Dropout(config.Dropout);
        head = elman is null ? nn.Linear(h * (both ? 2 : 1), classCount) : null;
        RegisterComponents();
    }

    public ClassifierModelConfig Config { get; }

    public int VocabularySize { get; }

    public int ClassCount { get; }

    /// <param name="ids">Right-padded ids (B, L).</param>
    /// <param name="lengths">Each item's length (B), int64 on the CPU; all at least 1.</param>
    /// <returns>Class scores (B, K), unnormalised.</returns>
    public override Tensor forward(Tensor ids, Tensor lengths)
    {
        var x = embedding is null
            ? nn.functional.one_hot(ids, VocabularySize).to(ScalarType.Float32) // (B, L, V)
            : embedding.forward(ids); // (B, L, E)
        x = Drop(x);
        if (elman is not null)
        {
            return elman.forward(x, lengths.to(ids.device)); // (B, K)
        }
        var last = LastStates(x, lengths); // (B, D*H)
        return head!.forward(Drop(last));
    }

    private Tensor Drop(Tensor x) => Config.Dropout > 0 ? drop.forward(x) : x;

    // the top layer's final state of each direction: forward after the item's last character,
    // backward after its first; libtorch restores the batch order of h_n itself
    private Tensor LastStates(Tensor x, Tensor lengths)
    {
        using var packed = nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first: true, enforce_sorted: false);
        Tensor hN; // (L*D, B, H)
        switch (rnn)
        {
            case LSTM lstm:
                var (output, h, c) = lstm.call(packed);
                output.Dispose();
                c.Dispose();
                hN = h;
                break;
            case GRU gru:
                var (gruOutput, gruH) = gru.call(packed);
                gruOutput.Dispose();
                hN = gruH;
                break;
            case RNN plain:
                var (rnnOutput, rnnH) = plain.call(packed);
                rnnOutput.Dispose();
                hN = rnnH;
                break;
            default:
                throw new InvalidOperationException($"unexpected recurrent module {rnn?.GetType().Name}");
        }
        var directions = Config.Bidirectional ? 2 : 1;
        var top = hN.narrow(0, hN.shape[0] - directions, directions); // (D, B, H)
        return top.permute(1, 0, 2).reshape(top.shape[1], -1); // (B, D*H)
    }
}

/// <summary>
/// The hand-built Elman cell of the PyTorch name-classification tutorial, with tanh: the input and
/// the previous hidden state, concatenated, feed one linear layer for the new hidden state and one
/// for the output. Unrolled in C#, one step per character; rows whose item has ended keep their state.
/// </summary>
public sealed class ElmanCell : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Linear i2h;
    private readonly Linear i2o;
    private readonly int hidden;

    public ElmanCell(int inputSize, int hidden, int outputSize) : base(nameof(ElmanCell))
    {
        this.hidden = hidden;
        i2h = nn.Linear(inputSize + hidden, hidden);
        i2o = nn.Linear(inputSize + hidden, outputSize);
        RegisterComponents();
    }

    /// <param name="x">Inputs (B, L, E).</param>
    /// <param name="lengths">Lengths (B) on x's device.</param>
    /// <returns>The output at each row's last real step (B, K).</returns>
    public override Tensor forward(Tensor x, Tensor lengths)
    {
        var batch = x.shape[0];
        var h = torch.zeros(batch, hidden, device: x.device); // (B, H)
        Tensor? output = null;
        for (var t = 0; t < x.shape[1]; t++)
        {
            var combined = torch.cat([x.select(1, t), h], 1); // (B, E+H)
            var o = i2o.forward(combined); // (B, K)
            var live = lengths.gt(t).unsqueeze(1); // (B, 1)
            var isLast = lengths.eq(t + 1).unsqueeze(1); // (B, 1)
            output = output is null ? o : torch.where(isLast, o, output);
            h = torch.where(live, i2h.forward(combined).tanh(), h);
        }
        return output!;
    }
}

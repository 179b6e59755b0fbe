using RnnLab.Configuration;

namespace RnnLab.Models;

// B batch, T time, V vocabulary, E embedding (V when one-hot), C class embedding, H hidden, L layers.
// Batch-first.

/// <summary>
/// A character-level language model: embedding (or one-hot), a fused recurrent stack, a linear
/// decoder to next-character logits. Field names are the state-dict keys, as in PyTorch's
/// word_language_model: <c>embedding.weight</c>, <c>rnn.weight_ih_l0</c>, <c>decoder.weight</c>.
/// A model conditioned on a class (as in PyTorch's name-generation tutorial) also embeds each row's
/// class (<c>condition.weight</c>) and feeds it beside the character at every step.
/// </summary>
public sealed class CharRnn : nn.Module<Tensor, RecurrentState?, (Tensor Logits, RecurrentState State)>
{
    private readonly Embedding? embedding;
    private readonly Embedding? condition;
    private readonly nn.Module rnn;
    private readonly Dropout drop;
    private readonly Linear decoder;

    public CharRnn(ModelConfig config, int vocabularySize, int classCount = 0) : base(nameof(CharRnn))
    {
        Config = config;
        VocabularySize = vocabularySize;
        ClassCount = classCount;
        var inputSize = (config.Embedding == 0 ? vocabularySize : config.Embedding)
            + (classCount > 0 ? config.ClassEmbedding : 0);
        embedding = config.Embedding == 0 ? null : nn.Embedding(vocabularySize, config.Embedding);
        condition = classCount > 0 ? nn.Embedding(classCount, config.ClassEmbedding) : null;
        var betweenLayers = config.Layers > 1 ? config.Dropout : 0.0;
        rnn = config.Cell switch
        {
            CellKind.Lstm => nn.LSTM(inputSize, config.Hidden, config.Layers, batchFirst: true,
                dropout: betweenLayers),
            CellKind.Gru => nn.GRU(inputSize, config.Hidden, config.Layers, batchFirst: true,
                dropout: betweenLayers),
            CellKind.RnnTanh => nn.RNN(inputSize, config.Hidden, config.Layers, nn.NonLinearities.Tanh,
                batchFirst: true, dropout: betweenLayers),
            CellKind.RnnRelu => nn.RNN(inputSize, config.Hidden, config.Layers, nn.NonLinearities.ReLU,
                batchFirst: true, dropout: betweenLayers),
            _ => throw new ArgumentOutOfRangeException(nameof(config), config.Cell, "unknown cell kind"),
        };
        drop = nn.Dropout(config.Dropout);
        decoder = nn.Linear(config.Hidden, vocabularySize);
        RegisterComponents();
    }

    public ModelConfig Config { get; }

    /// <summary>The number of weights a model of this shape has, computed without building it.</summary>
    public static long ParameterCount(ModelConfig config, int vocabularySize, int classCount = 0)
    {
        long v = vocabularySize, e = config.Embedding, h = config.Hidden;
        var gates = config.Cell switch { CellKind.Lstm => 4L, CellKind.Gru => 3L, _ => 1L };
        var input = (e == 0 ? v : e) + (classCount > 0 ? config.ClassEmbedding : 0);
        var total = v * e + (long)classCount * (classCount > 0 ? config.ClassEmbedding : 0) + h * v + v;
        for (var layer = 0; layer < config.Layers; layer++)
        {
            total += gates * h * ((layer == 0 ? input : h) + h + 2);
        }
        return total;
    }

    public int VocabularySize { get; }

    /// <summary>Classes the model is conditioned on (0: none).</summary>
    public int ClassCount { get; }

    /// <param name="input">Ids (B, T).</param>
    /// <param name="state">The carried state, or null for zeros.</param>
    /// <returns>Logits (B, T, V) and the state after the last step.</returns>
    public override (Tensor Logits, RecurrentState State) forward(Tensor input, RecurrentState? state) =>
        forward(input, state, null);

    /// <param name="input">Ids (B, T).</param>
    /// <param name="state">The carried state, or null for zeros.</param>
    /// <param name="classes">Each row's class (B); required exactly when the model is conditioned.</param>
    public (Tensor Logits, RecurrentState State) forward(Tensor input, RecurrentState? state, Tensor? classes)
    {
        var (logits, _, next) = Run(input, state, classes);
        return (logits, next);
    }

    /// <summary>As <c>forward</c>, and also the top layer's outputs h_t (B, T, H), for losses on them.</summary>
    public (Tensor Logits, Tensor Output, RecurrentState State) Run(Tensor input, RecurrentState? state,
        Tensor? classes)
    {
        var x = Inputs(input, classes); // (B, T, E+C)
        var (output, next) = Recur(Drop(x), state); // (B, T, H)
        return (Decode(output), output, next); // (B, T, V)
    }

    /// <summary>What the recurrent stack reads at each step: the character's vector, then the class's.</summary>
    public Tensor Inputs(Tensor input, Tensor? classes)
    {
        var x = embedding is null
            ? nn.functional.one_hot(input, VocabularySize).to(ScalarType.Float32) // (B, T, V)
            : embedding.forward(input); // (B, T, E)
        if (condition is null)
        {
            return classes is null
                ? x
                : throw new ArgumentException("this model is not conditioned on a class", nameof(classes));
        }
        if (classes is null)
        {
            throw new ArgumentException("this model is conditioned on a class; pass each row's class", nameof(classes));
        }
        var c = condition.forward(classes).unsqueeze(1).expand(-1, input.shape[1], -1); // (B, T, C)
        return torch.cat([x, c], 2);
    }

    /// <summary>The fused recurrent module (nn.LSTM, nn.GRU or nn.RNN), e.g. to load step cells from.</summary>
    public nn.Module Recurrent => rnn;

    /// <summary>Next-character logits (B, T, V) from the top layer's outputs (B, T, H).</summary>
    public Tensor Decode(Tensor output) => decoder.forward(Drop(output));

    /// <summary>The model's dropout (in training mode); with dropout 0 the module is not called at all, so
    /// a step does only the work it needs.</summary>
    public Tensor Drop(Tensor x) => Config.Dropout > 0 ? drop.forward(x) : x;

    /// <summary>A zero state for <paramref name="batchSize"/> rows, on the model's device.</summary>
    public RecurrentState ZeroState(long batchSize)
    {
        var device = decoder.weight!.device;
        var h = torch.zeros(Config.Layers, batchSize, Config.Hidden, device: device); // (L, B, H)
        var c = Config.Cell == CellKind.Lstm
            ? torch.zeros(Config.Layers, batchSize, Config.Hidden, device: device) // (L, B, H)
            : null;
        return new RecurrentState(h, c);
    }

    /// <summary>The fused stack alone: the top layer's outputs (B, T, H) for inputs (B, T, E+C), e.g. to
    /// look at hidden states; <see cref="forward(Tensor, RecurrentState?, Tensor?)"/> adds dropout and
    /// the decoder.</summary>
    public (Tensor Output, RecurrentState State) Recur(Tensor x, RecurrentState? state)
    {
        switch (rnn)
        {
            case LSTM lstm:
                var (output, h, c) = lstm.forward(x, state is null ? null : (state.H, state.C!));
                return (output, new RecurrentState(h, c));
            case GRU gru:
                var (gruOutput, gruH) = gru.forward(x, state?.H);
                return (gruOutput, new RecurrentState(gruH, null));
            case RNN plain:
                var (rnnOutput, rnnH) = plain.forward(x, state?.H);
                return (rnnOutput, new RecurrentState(rnnH, null));
            default:
                throw new InvalidOperationException($"unexpected recurrent module {rnn.GetType().Name}");
        }
    }
}

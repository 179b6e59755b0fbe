namespace RnnLab.Configuration;

/// <summary>The network: embedding (or one-hot), a stack of recurrent layers, a linear decoder.</summary>
public sealed record ModelConfig
{
    public CellKind Cell { get; init; } = CellKind.Lstm;

    public int Layers { get; init; } = 2;

    /// <summary>H: hidden units per layer.</summary>
    public int Hidden { get; init; } = 256;

    /// <summary>E: embedding width; 0 feeds one-hot vectors of the vocabulary size instead.</summary>
    public int Embedding { get; init; } = 64;

    /// <summary>Width of the class embedding fed at every step (models conditioned on a class only).</summary>
    public int ClassEmbedding { get; init; } = 16;

    /// <summary>Dropout on the embedding, between layers and before the decoder.</summary>
    public double Dropout { get; init; }

    public void Validate()
    {
        if (Cell == CellKind.Elman)
        {
            throw new RnnLabException(
                "--cell elman is the hand-built cell of 'rnnlab classify train'; for a language model use " +
                "rnn-tanh, rnn-relu, lstm or gru");
        }
        Check.Range("layers", Layers, 1, 64);
        Check.Range("hidden", Hidden, 1, 65_536);
        Check.Range("embedding", Embedding, 0, 65_536);
        Check.Range("dropout", Dropout, 0, 0.95);
        Check.Range("class-embedding", ClassEmbedding, 1, 65_536);
    }
}

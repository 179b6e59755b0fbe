using System.Text.Json.Serialization;
using System.Text.Json;
using RnnLab.Configuration;
using RnnLab.Data;

namespace RnnLab.Seq2Seq;

/// <summary>
/// How a decoder state scores each encoder state (Luong, Pham and Manning 2015): not at all (the
/// decoder sees only the encoder's final state), <c>dot</c> h_t·h_s, <c>general</c> h_t·W h_s, or
/// <c>concat</c> v·tanh(W [h_t; h_s]).
/// </summary>
[JsonConverter(typeof(KebabEnumConverter<AttentionKind>))]
public enum AttentionKind { None, Dot, General, Concat }

/// <summary>
/// How a line holds a pair: <c>tsv</c> source TAB target (eng-fra.txt), <c>cmudict</c> word SPACE
/// phonemes (cmudict.dict; "word(2)" variants and "# comments" handled), <c>auto</c>: tsv when the
/// first line has a tab.
/// </summary>
[JsonConverter(typeof(KebabEnumConverter<PairFormat>))]
public enum PairFormat { Auto, Tsv, Cmudict }

/// <summary>
/// What is done to each side before anything else: nothing; <c>basic</c> lower-case and accents
/// stripped (Unicode decomposition, combining marks dropped); <c>tutorial</c> as the PyTorch
/// translation tutorial: basic, then a space before . ! ? and every other run of non-letters a space.
/// </summary>
[JsonConverter(typeof(KebabEnumConverter<Normalization>))]
public enum Normalization { None, Basic, Tutorial }

/// <summary>Everything that defines a sequence-to-sequence run; saved as config.json in its folder.</summary>
public sealed record Seq2SeqConfig
{
    public string Name { get; init; } = "";

    public PairDataConfig Data { get; init; } = new();

    public Seq2SeqModelConfig Model { get; init; } = new();

    public OptimConfig Optim { get; init; } = new();

    public Seq2SeqTrainConfig Train { get; init; } = new();

    public void Validate()
    {
        RunConfig.ValidateName(Name);
        Data.Validate();
        Model.Validate();
        Optim.Validate();
        Train.Validate();
    }

    public string ToJson() => JsonSerializer.Serialize(this, RunConfig.JsonOptions);

    public static Seq2SeqConfig FromJsonFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new RnnLabException($"config file not found: {path}");
        }
        Seq2SeqConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<Seq2SeqConfig>(File.ReadAllText(path), RunConfig.JsonOptions);
        }
        catch (JsonException e)
        {
            throw new RnnLabException($"{path}: not a valid seq2seq config: {e.Message}");
        }
        if (config is null || config.Data is null || config.Model is null || config.Optim is null
            || config.Train is null || config.Name is null || config.Data.Path is null || config.Data.Prefixes is null)
        {
            throw new RnnLabException(
                $"{path}: not a valid seq2seq config: a section is null; leave a key out to use its default");
        }
        return config;
    }
}

/// <summary>Where the pairs come from, how they are cleaned and filtered, and how they are split.</summary>
public sealed record PairDataConfig
{
    /// <summary>
    /// The English prefixes of the PyTorch translation tutorial's filter, as they read after its
    /// normalisation ("i'm" becomes "i m").
    /// </summary>
    public static readonly IReadOnlyList<string> TutorialPrefixes =
    [
        "i am ", "i m ", "he is", "he s ", "she is", "she s ", "you are", "you re ", "we are", "we re ",
        "they are", "they re ",
    ];

    public string Path { get; init; } = "";

    public PairFormat Format { get; init; } = PairFormat.Auto;

    /// <summary>Read each line as target then source (eng-fra.txt swapped: French to English).</summary>
    public bool Swap { get; init; }

    public Normalization Normalization { get; init; } = Normalization.None;

    /// <summary>Keep only pairs whose target starts with one of these (after normalisation); none: all.</summary>
    public IReadOnlyList<string> Prefixes { get; init; } = [];

    /// <summary>Keep only pairs whose sides both have at most this many space-separated words (0: off).</summary>
    public int MaxWords { get; init; }

    /// <summary>Keep only pairs whose sides both have at most this many characters (0: off).</summary>
    public int MaxChars { get; init; }

    public double ValFraction { get; init; } = 0.1;

    public double TestFraction { get; init; } = 0.1;

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Path))
        {
            throw new RnnLabException(
                "no data given; pass --data FILE with one 'source<TAB>target' pair a line (or a cmudict file)");
        }
        Check.Range("max-words", MaxWords, 0, 1_000_000);
        Check.Range("max-chars", MaxChars, 0, 1_000_000);
        Check.Above("val-fraction", ValFraction, 0, 0.5);
        Check.Above("test-fraction", TestFraction, 0, 0.5);
        if (Prefixes.Any(string.IsNullOrEmpty))
        {
            throw new RnnLabException("--prefix is empty; give the text targets must start with");
        }
    }
}

/// <summary>The encoder, the decoder and how the decoder attends to the encoder's states.</summary>
public sealed record Seq2SeqModelConfig
{
    public CellKind Cell { get; init; } = CellKind.Lstm;

    /// <summary>Layers of the encoder and of the decoder.</summary>
    public int Layers { get; init; } = 1;

    public int Hidden { get; init; } = 256;

    public int Embedding { get; init; } = 64;

    /// <summary>Read the source in both directions; the two directions' states are projected to H.</summary>
    public bool Bidirectional { get; init; }

    public AttentionKind Attention { get; init; } = AttentionKind.General;

    /// <summary>
    /// Feed the previous attentional state back as input with the next character (Luong's input
    /// feeding). Without attention there is no attentional state, so it has no effect there.
    /// </summary>
    public bool InputFeeding { get; init; } = true;

    /// <summary>Dropout on the embeddings, between encoder layers and on the attentional state.</summary>
    public double Dropout { get; init; }

    public void Validate()
    {
        Check.Range("layers", Layers, 1, 16);
        Check.Range("hidden", Hidden, 1, 16_384);
        Check.Range("embedding", Embedding, 1, 16_384);
        Check.Range("dropout", Dropout, 0, 0.95);
        if (Cell == CellKind.Elman)
        {
            throw new RnnLabException(
                "--cell elman is the classifier's hand-built cell; use rnn-tanh, rnn-relu, lstm or gru");
        }
    }
}

/// <summary>The training loop of a sequence-to-sequence model, and how test pairs are decoded.</summary>
public sealed record Seq2SeqTrainConfig
{
    public int BatchSize { get; init; } = 64;

    public int Epochs { get; init; }

    public long Steps { get; init; }

    public double TimeLimitSeconds { get; init; }

    /// <summary>Share of decoder steps fed the true previous character rather than the model's own guess.</summary>
    public double TeacherForcing { get; init; } = 1.0;

    /// <summary>Epochs without a lower validation loss before stopping (0: off).</summary>
    public int Patience { get; init; }

    /// <summary>Beam width for the test split's second decoding (greedy is always reported too).</summary>
    public int Beam { get; init; } = 5;

    /// <summary>Beam scores are log p / length^alpha; 0 compares raw log-probabilities.</summary>
    public double LengthPenalty { get; init; } = 1.0;

    /// <summary>Longest output decoded, in characters (the longest training target plus a margin when 0).</summary>
    public int MaxOutput { get; init; }

    public int LogEvery { get; init; } = 50;

    public int Seed { get; init; } = 1337;

    public void Validate()
    {
        Check.Range("batch-size", BatchSize, 1, 65_536);
        Check.Range("epochs", Epochs, 0, 1_000_000);
        Check.Range("steps", Steps, 0, 1e12);
        Check.Range("time-limit", TimeLimitSeconds, 0, 1e9);
        Check.Range("teacher-forcing", TeacherForcing, 0, 1);
        Check.Range("patience", Patience, 0, 1e6);
        Check.Range("beam", Beam, 1, 256);
        Check.Range("length-penalty", LengthPenalty, 0, 10);
        Check.Range("max-output", MaxOutput, 0, 100_000);
        Check.Range("log-every", LogEvery, 1, 1e9);
        Check.HasEnd(Epochs, Steps, TimeLimitSeconds, "5m");
    }
}

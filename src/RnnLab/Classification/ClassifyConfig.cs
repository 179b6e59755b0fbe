using System.Text.Json;
using System.Text.Json.Serialization;
using RnnLab.Configuration;

namespace RnnLab.Classification;

/// <summary>
/// How class imbalance is handled: not at all; by class weights N / (K n_k) in the loss, or their
/// square root (halfway: rare classes count more without swamping the common ones); or by sampling
/// every class equally often.
/// </summary>
[JsonConverter(typeof(KebabEnumConverter<Imbalance>))]
public enum Imbalance { Plain, Weighted, SqrtWeighted, Balanced }

/// <summary>Which validation figure picks the best checkpoint.</summary>
[JsonConverter(typeof(KebabEnumConverter<SelectBy>))]
public enum SelectBy { Loss, Accuracy, MacroF1 }

/// <summary>Everything that defines a classifier run; saved as config.json in its folder.</summary>
public sealed record ClassifyConfig
{
    public string Name { get; init; } = "";

    public ClassifyDataConfig Data { get; init; } = new();

    public ClassifierModelConfig Model { get; init; } = new();

    public OptimConfig Optim { get; init; } = new();

    public ClassifyTrainConfig Train { get; init; } = new();

    public void Validate()
    {
        RunConfig.ValidateName(Name);
        Data.Validate();
        Model.Validate();
        Optim.Validate();
        Train.Validate();
    }

    public string ToJson() => JsonSerializer.Serialize(this, RunConfig.JsonOptions);

    public static ClassifyConfig FromJsonFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new RnnLabException($"config file not found: {path}");
        }
        ClassifyConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<ClassifyConfig>(File.ReadAllText(path), RunConfig.JsonOptions);
        }
        catch (JsonException e)
        {
            throw new RnnLabException($"{path}: not a valid classifier config: {e.Message}");
        }
        if (config is null || config.Data is null || config.Model is null || config.Optim is null
            || config.Train is null || config.Name is null || config.Data.Path is null)
        {
            throw new RnnLabException(
                $"{path}: not a valid classifier config: a section is null; leave a key out to use its default");
        }
        return config;
    }
}

/// <summary>Where the labelled items come from and how they are split.</summary>
public sealed record ClassifyDataConfig
{
    /// <summary>A folder of <c>&lt;Class&gt;.txt</c> files (one item a line), or a CSV file.</summary>
    public string Path { get; init; } = "";

    /// <summary>CSV only: the column holding each row's class.</summary>
    public string? LabelColumn { get; init; }

    /// <summary>CSV only: the column holding each row's text.</summary>
    public string? TextColumn { get; init; }

    public double ValFraction { get; init; } = 0.1;

    public double TestFraction { get; init; } = 0.1;

    /// <summary>
    /// Keep repeated (text, class) pairs. Off by default: a copy in the test split of an item
    /// seen in training would measure memory, not generalisation (names/Arabic.txt has 2,000
    /// lines but 108 distinct names).
    /// </summary>
    public bool KeepDuplicates { get; init; }

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Path))
        {
            throw new RnnLabException(
                "no data given; pass --data DIR (one <Class>.txt per class) or --data FILE.csv with " +
                "--label-column and --text-column");
        }
        Check.Above("val-fraction", ValFraction, 0, 0.5);
        Check.Above("test-fraction", TestFraction, 0, 0.5);
    }
}

/// <summary>The classifier network: characters, a recurrent encoder, a linear layer to class scores.</summary>
public sealed record ClassifierModelConfig
{
    public CellKind Cell { get; init; } = CellKind.Lstm;

    public int Layers { get; init; } = 1;

    public int Hidden { get; init; } = 128;

    /// <summary>Embedding width; 0 feeds one-hot vectors (as the PyTorch tutorial does).</summary>
    public int Embedding { get; init; } = 32;

    public bool Bidirectional { get; init; }

    /// <summary>Dropout on the embedding, between layers and before the output layer.</summary>
    public double Dropout { get; init; }

    public void Validate()
    {
        Check.Range("layers", Layers, 1, 16);
        Check.Range("hidden", Hidden, 1, 16_384);
        Check.Range("embedding", Embedding, 0, 16_384);
        Check.Range("dropout", Dropout, 0, 0.95);
        if (Cell == CellKind.Elman && (Layers > 1 || Bidirectional))
        {
            throw new RnnLabException(
                "--cell elman is one hand-built layer in one direction; drop --layers and --bidirectional " +
                "(or use rnn-tanh for a fused stack)");
        }
    }
}

/// <summary>The training loop of a classifier.</summary>
public sealed record ClassifyTrainConfig
{
    public int BatchSize { get; init; } = 64;

    public int Epochs { get; init; }

    public long Steps { get; init; }

    public double TimeLimitSeconds { get; init; }

    /// <summary>Epochs without a better validation figure before stopping (0: off).</summary>
    public int Patience { get; init; }

    public Imbalance Imbalance { get; init; } = Imbalance.Plain;

    public SelectBy SelectBy { get; init; } = SelectBy.Loss;

    public int LogEvery { get; init; } = 100;

    public int Seed { get; init; } = 1337;

    public void Validate()
    {
        Check.Range("batch-size", BatchSize, 1, 65_536);
        Check.Range("epochs", Epochs, 0, 1_000_000);
        Check.Range("steps", Steps, 0, 1e12);
        Check.Range("time-limit", TimeLimitSeconds, 0, 1e9);
        Check.Range("patience", Patience, 0, 1e6);
        Check.Range("log-every", LogEvery, 1, 1e9);
        Check.HasEnd(Epochs, Steps, TimeLimitSeconds, "5m");
    }
}

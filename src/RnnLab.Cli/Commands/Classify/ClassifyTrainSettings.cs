namespace RnnLab.Cli.Commands.Classify;

/// <summary>Flags of <c>rnnlab classify train</c>; each one given overrides the config file or the default.</summary>
public sealed class ClassifyTrainSettings : OptimizerSettings
{
    [CommandOption("--config <FILE>"), Description("JSON config file (see config.json in any classifier run)")]
    public string? Config { get; init; }

    [CommandOption("--data <PATH>"), Description("A folder of <Class>.txt files (one item a line), or a CSV file")]
    public string? Data { get; init; }

    [CommandOption("--label-column <NAME>"), Description("CSV: the column holding each row's class")]
    public string? LabelColumn { get; init; }

    [CommandOption("--text-column <NAME>"), Description("CSV: the column holding each row's text")]
    public string? TextColumn { get; init; }

    [CommandOption("--val-fraction <F>"), Description("Share of each class for validation (default 0.1)")]
    public double? ValFraction { get; init; }

    [CommandOption("--test-fraction <F>"), Description("Share of each class for test (default 0.1)")]
    public double? TestFraction { get; init; }

    [CommandOption("--keep-duplicates"), Description("Keep repeated (text, class) pairs (default: drop them)")]
    public bool KeepDuplicates { get; init; }

    [CommandOption("--cell <CELL>"), Description("rnn-tanh, rnn-relu, lstm (default), gru, or elman (hand-built)")]
    public string? Cell { get; init; }

    [CommandOption("--layers <N>"), Description("Recurrent layers (default 1)")]
    public int? Layers { get; init; }

    [CommandOption("--hidden <H>"), Description("Hidden units per layer and direction (default 128)")]
    public int? Hidden { get; init; }

    [CommandOption("--embedding <E>"), Description("Embedding width; 0 feeds one-hot vectors (default 32)")]
    public int? Embedding { get; init; }

    [CommandOption("--bidirectional"), Description("Read each item in both directions")]
    public bool Bidirectional { get; init; }

    [CommandOption("--dropout <P>"), Description("Dropout probability (default 0)")]
    public double? Dropout { get; init; }

    [CommandOption("--batch-size <B>"), Description("Items per batch (default 64)")]
    public int? BatchSize { get; init; }

    [CommandOption("--epochs <N>"), Description("Stop after N epochs")]
    public int? Epochs { get; init; }

    [CommandOption("--steps <N>"), Description("Stop at optimizer step N")]
    public long? Steps { get; init; }

    [CommandOption("--time-limit <DURATION>"), Description("Stop after this long, e.g. 300, 5m")]
    public string? TimeLimit { get; init; }

    [CommandOption("--patience <N>"), Description("Early stop after N epochs without improvement (0: off)")]
    public int? Patience { get; init; }

    [CommandOption("--imbalance <HOW>")]
    [Description("plain (default); weighted or sqrt-weighted (class weights in the loss); balanced (sampling)")]
    public string? Imbalance { get; init; }

    [CommandOption("--select-by <FIGURE>")]
    [Description("Validation figure that picks best.ckpt: loss (default), accuracy or macro-f1")]
    public string? SelectBy { get; init; }

    [CommandOption("--log-every <N>"), Description("Log line every N steps (default 100)")]
    public int? LogEvery { get; init; }

    [CommandOption("--seed <N>"), Description("Seed for the split, the weights and the batches (default 1337)")]
    public int? Seed { get; init; }

    [CommandOption("--name <NAME>"), Description("Run name (default: classify-<cell>)")]
    public string? Name { get; init; }

    [CommandOption("--out <DIR>"), Description("Run folder (default runs/<time>-<name>)")]
    public string? Out { get; init; }

    [CommandOption("--device <DEVICE>"), Description("cpu (default), cuda or auto")]
    public string Device { get; init; } = "cpu";

    [CommandOption("--dry-run"), Description("Read and split the data, run one batch each way, print shapes, exit")]
    public bool DryRun { get; init; }
}

using RnnLab.Configuration;

namespace RnnLab.Cli.Commands;

/// <summary>
/// Flags of <c>rnnlab train</c>. Every model, data, optimizer and training flag is optional: when
/// given it overrides the config file (or the defaults, or on resume the checkpoint's config).
/// </summary>
public sealed class TrainSettings : ExposureSettings
{
    [CommandOption("--config <FILE>")]
    [Description("JSON config file (see config.json in any run folder); flags override it")]
    public string? Config { get; init; }

    [CommandOption("--data <FILE>"), Description("Training text: a UTF-8 file (or CSV with --csv-column)")]
    public string? Data { get; init; }

    [CommandOption("--val-data <FILE>")]
    [Description("Validation text from this file (same format as --data) instead of --val-fraction")]
    public string? ValData { get; init; }

    [CommandOption("--format <FORMAT>")]
    [Description("text (default) or ptb-char (characters separated by spaces, _ between words)")]
    public string? Format { get; init; }

    [CommandOption("--mode <MODE>"), Description("stream (one long text) or documents (many short ones)")]
    public string? Mode { get; init; }

    [CommandOption("--delimiter <LINE>")]
    [Description("Documents mode: documents are separated by lines equal to this, e.g. %")]
    public string? Delimiter { get; init; }

    [CommandOption("--csv-column <NAME>"), Description("Documents mode: one document per CSV row, from this column")]
    public string? CsvColumn { get; init; }

    [CommandOption("--condition-on-class")]
    [Description("Documents mode: --data is a folder of <Class>.txt files; learn each line given its class")]
    public bool ConditionOnClass { get; init; }

    [CommandOption("--class-embedding <C>")]
    [Description("Class embedding width with --condition-on-class (default 16)")]
    public int? ClassEmbedding { get; init; }

    [CommandOption("--val-fraction <F>"), Description("Share held out for validation (default 0.1)")]
    public double? ValFraction { get; init; }

    [CommandOption("--min-char-count <N>"), Description("Rarer characters become <unk> (default 1)")]
    public int? MinCharCount { get; init; }

    [CommandOption("--batch-size <B>"), Description("Streams or documents per batch (default 32)")]
    public int? BatchSize { get; init; }

    [CommandOption("--bptt <T>"), Description("Time steps per truncated-backprop window (default 64)")]
    public int? Bptt { get; init; }

    [CommandOption("--cell <CELL>"), Description("rnn-tanh, rnn-relu, lstm (default) or gru")]
    public string? Cell { get; init; }

    [CommandOption("--layers <N>"), Description("Recurrent layers (default 2)")]
    public int? Layers { get; init; }

    [CommandOption("--hidden <H>"), Description("Hidden units per layer (default 256)")]
    public int? Hidden { get; init; }

    [CommandOption("--embedding <E>"), Description("Embedding width; 0 feeds one-hot vectors (default 64)")]
    public int? Embedding { get; init; }

    [CommandOption("--dropout <P>"), Description("Dropout probability (default 0)")]
    public double? Dropout { get; init; }

    [CommandOption("--loss-on <STEPS>"), Description("all time steps (default) or the last step of each window")]
    public string? LossOn { get; init; }

    [CommandOption("--eos-state-loss <WEIGHT>")]
    [Description("Documents mode: add WEIGHT × ‖h‖² after each <eos>, to return to the start state (default 0)")]
    public double? EosStateLoss { get; init; }

    [CommandOption("--epochs <N>"), Description("Stop after N epochs")]
    public int? Epochs { get; init; }

    [CommandOption("--steps <N>"), Description("Stop at optimizer step N")]
    public long? Steps { get; init; }

    [CommandOption("--time-limit <DURATION>"), Description("Stop after this long, e.g. 600, 10m, 1h30m")]
    public string? TimeLimit { get; init; }

    [CommandOption("--eval-every <N>"), Description("Evaluate, sample and checkpoint every N steps (default 500)")]
    public int? EvalEvery { get; init; }

    [CommandOption("--eval-batches <N>"), Description("Validation windows per evaluation; 0 for all (default)")]
    public int? EvalBatches { get; init; }

    [CommandOption("--patience <N>"), Description("Early stop after N evaluations without improvement (0: off)")]
    public int? Patience { get; init; }

    [CommandOption("--log-every <N>"), Description("Log line every N steps (default 100)")]
    public int? LogEvery { get; init; }

    [CommandOption("--max-non-finite <N>"), Description("Non-finite losses in a row before training stops (default 5)")]
    public int? MaxNonFinite { get; init; }

    [CommandOption("--seed <N>"), Description("Random seed; a CPU run repeats exactly (default 1337)")]
    public int? Seed { get; init; }

    [CommandOption("--sample-length <N>"), Description("Characters sampled at each evaluation (default 200)")]
    public int? SampleLength { get; init; }

    [CommandOption("--tensorboard")]
    [Description("Also write TensorBoard event files into <run>/tensorboard (kept when resumed)")]
    public bool TensorBoard { get; init; }

    [CommandOption("--name <NAME>"), Description("Run name (default: cell and mode, e.g. lstm-stream)")]
    public string? Name { get; init; }

    [CommandOption("--out <DIR>"), Description("Run folder (default runs/<time>-<name>)")]
    public string? Out { get; init; }

    [CommandOption("--resume <RUN>"), Description("Continue a run folder from its last checkpoint")]
    public string? Resume { get; init; }

    [CommandOption("--init-from <CHECKPOINT>")]
    [Description("Fine-tune: start from a checkpoint's vocabulary and weights")]
    public string? InitFrom { get; init; }

    [CommandOption("--device <DEVICE>"), Description("cpu (default), cuda or auto")]
    public string Device { get; init; } = "cpu";

    [CommandOption("--cache-dir <DIR>"), Description("Prepared-corpus cache (default ~/.cache/rnnlab)")]
    public string? CacheDir { get; init; }

    [CommandOption("--no-cache"), Description("Neither read nor write the prepared-corpus cache")]
    public bool NoCache { get; init; }

    [CommandOption("--dry-run"), Description("Run one training and one validation batch, print them, exit")]
    public bool DryRun { get; init; }
}

namespace RnnLab.Cli.Commands.Seq2Seq;

/// <summary>Flags of <c>rnnlab seq2seq train</c>; each one given overrides the config file or the default.</summary>
public sealed class Seq2SeqTrainSettings : OptimizerSettings
{
    [CommandOption("--config <FILE>"), Description("JSON config file (see config.json in any seq2seq run)")]
    public string? Config { get; init; }

    [CommandOption("--data <FILE>"), Description("Pairs, one a line: 'source<TAB>target', or cmudict's 'word PHONES'")]
    public string? Data { get; init; }

    [CommandOption("--format <FORMAT>"), Description("auto (default: tsv when the first line has a tab), tsv, cmudict")]
    public string? Format { get; init; }

    [CommandOption("--swap")]
    [Description("Translate the second column into the first (eng-fra.txt: French to English)")]
    public bool Swap { get; init; }

    [CommandOption("--normalize <HOW>")]
    [Description("none (default); basic: lower-case, accents stripped; tutorial: basic, and non-letters as spaces")]
    public string? Normalize { get; init; }

    [CommandOption("--prefix <TEXT>"), Description("Keep pairs whose target starts with TEXT (repeatable)")]
    public string[]? Prefix { get; init; }

    [CommandOption("--tutorial-filter")]
    [Description("The PyTorch tutorial's subset: --normalize tutorial, its 12 English prefixes, --max-words 9")]
    public bool TutorialFilter { get; init; }

    [CommandOption("--max-words <N>"), Description("Keep pairs with at most N words on each side (0: off)")]
    public int? MaxWords { get; init; }

    [CommandOption("--max-chars <N>"), Description("Keep pairs with at most N characters on each side (0: off)")]
    public int? MaxChars { get; init; }

    [CommandOption("--val-fraction <F>"), Description("Share of the pairs for validation (default 0.1)")]
    public double? ValFraction { get; init; }

    [CommandOption("--test-fraction <F>"), Description("Share of the pairs for test (default 0.1)")]
    public double? TestFraction { get; init; }

    [CommandOption("--cell <CELL>"), Description("rnn-tanh, rnn-relu, lstm (default) or gru")]
    public string? Cell { get; init; }

    [CommandOption("--layers <N>"), Description("Layers of the encoder and of the decoder (default 1)")]
    public int? Layers { get; init; }

    [CommandOption("--hidden <H>"), Description("Hidden units (default 256)")]
    public int? Hidden { get; init; }

    [CommandOption("--embedding <E>"), Description("Character embedding width (default 64)")]
    public int? Embedding { get; init; }

    [CommandOption("--bidirectional"), Description("Read the source in both directions")]
    public bool Bidirectional { get; init; }

    [CommandOption("--attention <KIND>"), Description("none, dot, general (default) or concat (Luong 2015)")]
    public string? Attention { get; init; }

    [CommandOption("--no-input-feeding"), Description("Do not feed the attentional state back as input")]
    public bool NoInputFeeding { get; init; }

    [CommandOption("--dropout <P>"), Description("Dropout probability (default 0)")]
    public double? Dropout { get; init; }

    [CommandOption("--teacher-forcing <P>"), Description("Share of decoder steps fed the true character (default 1)")]
    public double? TeacherForcing { get; init; }

    [CommandOption("--batch-size <B>"), Description("Pairs per batch (default 64)")]
    public int? BatchSize { get; init; }

    [CommandOption("--epochs <N>"), Description("Stop after N epochs")]
    public int? Epochs { get; init; }

    [CommandOption("--steps <N>"), Description("Stop at optimizer step N")]
    public long? Steps { get; init; }

    [CommandOption("--time-limit <DURATION>"), Description("Stop training after this long, e.g. 300, 5m")]
    public string? TimeLimit { get; init; }

    [CommandOption("--patience <N>"), Description("Early stop after N epochs without a lower validation loss (0: off)")]
    public int? Patience { get; init; }

    [CommandOption("--beam <N>")]
    [Description("Beam width for the test split, beside greedy (default 5; 1: greedy only)")]
    public int? Beam { get; init; }

    [CommandOption("--length-penalty <A>"), Description("Beam score log p / length^A (default 1; 0: raw log p)")]
    public double? LengthPenalty { get; init; }

    [CommandOption("--max-output <N>"), Description("Longest output in characters (default: longest target + 10)")]
    public int? MaxOutput { get; init; }

    [CommandOption("--log-every <N>"), Description("Log line every N steps (default 50)")]
    public int? LogEvery { get; init; }

    [CommandOption("--seed <N>"), Description("Seed for the split, the weights and the batches (default 1337)")]
    public int? Seed { get; init; }

    [CommandOption("--name <NAME>"), Description("Run name (default: seq2seq-<attention>)")]
    public string? Name { get; init; }

    [CommandOption("--out <DIR>"), Description("Run folder (default runs/<time>-<name>)")]
    public string? Out { get; init; }

    [CommandOption("--device <DEVICE>"), Description("cpu (default), cuda or auto")]
    public string Device { get; init; } = "cpu";

    [CommandOption("--dry-run"), Description("Read and split the data, run one batch, decode one source, exit")]
    public bool DryRun { get; init; }
}

using System.Text.Json.Serialization;

namespace RnnLab.Configuration;

/// <summary>Where the text comes from and how it is cut into batches.</summary>
public sealed record DataConfig
{
    /// <summary>A UTF-8 text file (or a CSV file with <see cref="CsvColumn"/>).</summary>
    public string Path { get; init; } = "";

    public CorpusMode Mode { get; init; } = CorpusMode.Stream;

    /// <summary>Documents mode: documents are separated by lines equal to this (null: one per line).</summary>
    public string? Delimiter { get; init; }

    /// <summary>Documents mode: each row's value in this CSV column (a header name) is one document.</summary>
    public string? CsvColumn { get; init; }

    /// <summary>
    /// Documents mode: <see cref="Path"/> is a folder of <c>&lt;Class&gt;.txt</c> files, one document a
    /// line, and the model learns each document conditioned on its class.
    /// </summary>
    public bool ConditionOnClass { get; init; }

    /// <summary>Share held out for validation: the tail in stream mode, whole documents otherwise.</summary>
    public double ValFraction { get; init; } = 0.1;

    /// <summary>Characters seen fewer times than this in the training text map to &lt;unk&gt;.</summary>
    public int MinCharCount { get; init; } = 1;

    /// <summary>B: parallel streams (stream mode) or documents per batch (documents mode).</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>T: time steps per truncated-backprop window.</summary>
    public int Bptt { get; init; } = 64;

    /// <summary>
    /// <c>ptb-char</c>: characters separated by spaces, <c>_</c> for a space between words (Mikolov's
    /// character-level Penn Treebank), read back into plain text.
    /// </summary>
    public DataFormat Format { get; init; } = DataFormat.Text;

    /// <summary>A separate validation file in the same format (null: hold out <see cref="ValFraction"/>).</summary>
    [JsonPropertyName("val-data")] // the flag's name
    public string? ValPath { get; init; }

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Path))
        {
            throw new RnnLabException("no training text given; pass --data FILE (a UTF-8 text file)");
        }
        if (Mode == CorpusMode.Stream && (Delimiter is not null || CsvColumn is not null))
        {
            throw new RnnLabException(
                "--delimiter and --csv-column split documents; add --mode documents to use them");
        }
        if (ConditionOnClass && (Mode != CorpusMode.Documents || Delimiter is not null || CsvColumn is not null))
        {
            throw new RnnLabException(
                "--condition-on-class reads a folder of <Class>.txt files, one document a line; use it with " +
                "--mode documents and without --delimiter or --csv-column");
        }
        if (Delimiter is not null && CsvColumn is not null)
        {
            throw new RnnLabException("--delimiter and --csv-column are alternatives; pass only one");
        }
        if (ValPath is not null && string.IsNullOrWhiteSpace(ValPath))
        {
            throw new RnnLabException("--val-data is empty; pass a validation file or leave the flag out");
        }
        if (Format == DataFormat.PtbChar && (CsvColumn is not null || ConditionOnClass))
        {
            throw new RnnLabException(
                "--format ptb-char reads plain text files; drop --csv-column and --condition-on-class");
        }
        Check.Above("val-fraction", ValFraction, 0, 0.5);
        Check.Range("min-char-count", MinCharCount, 1, 1_000_000);
        Check.Range("batch-size", BatchSize, 1, 65_536);
        Check.Range("bptt", Bptt, 1, 100_000);
    }
}

namespace RnnLab.Data;

/// <summary>
/// Encoded ids of one split. Documents lie end to end in <see cref="Ids"/>, each as
/// &lt;bos&gt; text &lt;eos&gt;; document i spans [Offsets[i], Offsets[i+1]). A stream is one "document".
/// </summary>
public sealed record EncodedSplit(PackedIds Ids, int[] Offsets)
{
    /// <summary>A split from plain ids (packed as narrowly as their largest allows).</summary>
    public EncodedSplit(int[] ids, int[] offsets)
        : this(PackedIds.From(ids, ids.Length == 0 ? 1 : ids.Max() + 1), offsets)
    {
    }

    public int DocumentCount => Offsets.Length - 1;

    public PackedIds Document(int index) => Ids.Slice(Offsets[index], Offsets[index + 1] - Offsets[index]);

    /// <summary>Each document's class, for a corpus conditioned on classes; null otherwise.</summary>
    public int[]? Labels { get; init; }

    public static EncodedSplit Stream(int[] ids) => new(ids, [0, ids.Length]);

    public static EncodedSplit Stream(PackedIds ids) => new(ids, [0, ids.Length]);
}

/// <summary>A corpus ready for batching: vocabulary, train and validation ids, and where they came from.</summary>
public sealed record PreparedCorpus(
    Vocabulary Vocabulary,
    EncodedSplit Train,
    EncodedSplit Validation,
    string DataHash,
    string? Note)
{
    /// <summary>True when this came from the on-disk cache rather than from decoding the file.</summary>
    public bool FromCache { get; init; }

    /// <summary>Class names in label order, for a corpus conditioned on classes; null otherwise.</summary>
    public IReadOnlyList<string>? Classes { get; init; }
}

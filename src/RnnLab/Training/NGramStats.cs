namespace RnnLab.Training;

/// <summary>
/// Repetition and novelty of a generated text's character n-grams: repetition is the share of its
/// n-grams that repeat one earlier in the same text (1 - distinct / all); novelty is the share of
/// them (each occurrence counted) that never occur in the training text.
/// </summary>
public static class NGramStats
{
    /// <summary>The distinct n-grams of <paramref name="ids"/>, packed into one key each (n ≤ 4).</summary>
    public static HashSet<UInt128> Set(ReadOnlySpan<int> ids, int n)
    {
        var set = new HashSet<UInt128>();
        Add(set, ids, n);
        return set;
    }

    /// <summary>
    /// The distinct n-grams of a packed split, widened a chunk at a time (chunks overlap by n - 1, so
    /// every n-gram is read once): a large training split is never copied whole into ints.
    /// </summary>
    public static HashSet<UInt128> Set(Data.PackedIds ids, int n)
    {
        var set = new HashSet<UInt128>();
        var buffer = new int[Math.Max(n, 1 << 16)];
        for (var start = 0; start + n <= ids.Length; start += buffer.Length - n + 1)
        {
            var chunk = buffer.AsSpan(0, Math.Min(buffer.Length, ids.Length - start));
            ids.CopyTo(start, chunk);
            Add(set, chunk, n);
        }
        return set;
    }

    private static void Add(HashSet<UInt128> set, ReadOnlySpan<int> ids, int n)
    {
        for (var i = 0; i + n <= ids.Length; i++)
        {
            set.Add(Key(ids.Slice(i, n)));
        }
    }

    /// <summary>1 - distinct / all n-grams; 0 for a text shorter than n.</summary>
    public static double Repetition(ReadOnlySpan<int> ids, int n)
    {
        var all = ids.Length - n + 1;
        return all <= 0 ? 0 : 1 - Set(ids, n).Count / (double)all;
    }

    /// <summary>The share of the n-grams of <paramref name="ids"/> that <paramref name="seen"/> lacks.</summary>
    public static double Novelty(ReadOnlySpan<int> ids, int n, HashSet<UInt128> seen)
    {
        var (all, unseen) = (0, 0);
        for (var i = 0; i + n <= ids.Length; i++)
        {
            all++;
            unseen += seen.Contains(Key(ids.Slice(i, n))) ? 0 : 1;
        }
        return all == 0 ? 0 : unseen / (double)all;
    }

    // 32 bits per id: four ids fill 128 bits
    private static UInt128 Key(ReadOnlySpan<int> gram)
    {
        if (gram.Length > 4)
        {
            throw new ArgumentOutOfRangeException(nameof(gram), gram.Length, "n-grams of at most 4 characters");
        }
        UInt128 key = 0;
        foreach (var id in gram)
        {
            key = (key << 32) | (uint)id;
        }
        return key;
    }
}

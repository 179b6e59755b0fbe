using RnnLab.Classification;
using RnnLab.Configuration;
using RnnLab.Data;

namespace RnnLab.Seq2Seq;

// B pairs, S the longest source in the batch, T the longest target plus one.

/// <summary>
/// A padded batch. The decoder reads <c>&lt;bos&gt; y1 .. yn</c> and is scored on <c>y1 .. yn &lt;eos&gt;</c>;
/// both are right-padded with &lt;pad&gt; (id 0), which the loss ignores:
/// <code>
///   source   j e   s u i s   .  &lt;pad&gt; &lt;pad&gt;      lengths 11
///   input    &lt;bos&gt; i   a m   .  &lt;pad&gt;
///   target   i   a m   .  &lt;eos&gt; &lt;pad&gt;
/// </code>
/// </summary>
public sealed record PairBatch(Tensor Source, Tensor SourceLengths, Tensor Input, Tensor Target, int[] Pairs)
    : IDisposable
{
    public void Dispose()
    {
        Source.Dispose();
        SourceLengths.Dispose();
        Input.Dispose();
        Target.Dispose();
    }
}

/// <summary>
/// Pairs encoded once, served as batches grouped by source length within pools of 50 batches (little
/// padding), the batches shuffled each epoch.
/// </summary>
public sealed class PairBatches
{
    private const int PoolBatches = 50;

    private readonly int[][] sources;
    private readonly int[][] targets;
    private readonly int batchSize;
    private readonly Device device;

    public PairBatches(IReadOnlyList<Pair> pairs, Vocabulary sourceVocabulary, Vocabulary targetVocabulary,
        int batchSize, Device device)
    {
        sources = pairs.Select(p => sourceVocabulary.EncodeText(p.Source)).ToArray();
        targets = pairs.Select(p => targetVocabulary.EncodeText(p.Target)).ToArray();
        this.batchSize = batchSize;
        this.device = device;
    }

    public int Count => sources.Length;

    public int BatchesPerEpoch => (Count + batchSize - 1) / batchSize;

    /// <summary>The longest target, in characters.</summary>
    public int LongestTarget => targets.Length == 0 ? 0 : targets.Max(t => t.Length);

    /// <summary>One epoch's batches of pair indices; <paramref name="seed"/> null: a fixed order.</summary>
    public IReadOnlyList<int[]> Plan(int epoch, int? seed)
    {
        var order = Enumerable.Range(0, Count).ToArray();
        var random = new Random(seed is null ? 0 : unchecked(seed.Value + 7919 * epoch));
        if (seed is not null)
        {
            random.Shuffle(order);
        }
        var pool = seed is null ? Math.Max(1, order.Length) : PoolBatches * batchSize;
        var batches = order.Chunk(pool)
            .SelectMany(chunk => chunk.OrderBy(i => sources[i].Length).Chunk(batchSize))
            .ToArray();
        if (seed is not null)
        {
            random.Shuffle(batches);
        }
        return batches;
    }

    public PairBatch Batch(int[] indices) => Make(indices.Select(i => sources[i]).ToArray(),
        indices.Select(i => targets[i]).ToArray(), device, indices);

    /// <summary>A batch of already encoded pairs.</summary>
    public static PairBatch Make(IReadOnlyList<int[]> sources, IReadOnlyList<int[]> targets, Device device,
        int[]? pairs = null)
    {
        var (source, lengths) = ItemBatches.Pad(sources, device); // (B, S), (B)
        var (input, _) = ItemBatches.Pad(targets.Select(t => (int[])[Vocabulary.Bos, .. t]).ToArray(), device);
        var (target, _) = ItemBatches.Pad(targets.Select(t => (int[])[.. t, Vocabulary.Eos]).ToArray(), device);
        return new PairBatch(source, lengths, input, target, pairs ?? [.. Enumerable.Range(0, sources.Count)]);
    }
}

using RnnLab.Data;

namespace RnnLab.Classification;

// B items, L the longest item in the batch.

/// <summary>A padded batch of items: ids (B, L) on the device, lengths (B) on the CPU, labels (B).</summary>
public sealed record ItemBatch(Tensor Ids, Tensor Lengths, Tensor Labels, int[] Items) : IDisposable
{
    public void Dispose()
    {
        Ids.Dispose();
        Lengths.Dispose();
        Labels.Dispose();
    }
}

/// <summary>
/// Items encoded once, served as length-grouped batches: within pools of 50 batches the items are
/// sorted by length (little padding), then the batches are shuffled. Balanced sampling draws each
/// epoch's items class first, so every class is seen equally often.
/// </summary>
public sealed class ItemBatches
{
    private const int PoolBatches = 50;

    private readonly int[][] ids;
    private readonly int[] labels;
    private readonly int batchSize;
    private readonly Device device;

    public ItemBatches(IReadOnlyList<LabeledItem> items, Vocabulary vocabulary, int batchSize, Device device)
    {
        ids = items.Select(item => vocabulary.EncodeText(item.Text)).ToArray();
        labels = items.Select(item => item.Label).ToArray();
        this.batchSize = batchSize;
        this.device = device;
        foreach (var (sequence, at) in ids.Select((s, i) => (s, i)))
        {
            if (sequence.Length == 0)
            {
                throw new RnnLabException($"item {at} is empty; every item needs at least one character");
            }
        }
    }

    public int Count => ids.Length;

    public int BatchesPerEpoch => (Count + batchSize - 1) / batchSize;

    /// <summary>One epoch's batches of item indices; <paramref name="seed"/> null: a fixed order.</summary>
    public IReadOnlyList<int[]> Plan(int epoch, int? seed, Imbalance imbalance = Imbalance.Plain)
    {
        var random = new Random(seed is null ? 0 : unchecked(seed.Value + 7919 * epoch));
        int[] order;
        if (seed is null)
        {
            order = Enumerable.Range(0, Count).ToArray();
        }
        else if (imbalance == Imbalance.Balanced)
        {
            order = BalancedDraw(random);
        }
        else
        {
            order = Enumerable.Range(0, Count).ToArray();
            random.Shuffle(order);
        }
        var pool = seed is null ? order.Length : PoolBatches * batchSize;
        var batches = order.Chunk(pool)
            .SelectMany(chunk => chunk.OrderBy(i => ids[i].Length).Chunk(batchSize))
            .ToArray();
        if (seed is not null)
        {
            random.Shuffle(batches);
        }
        return batches;
    }

    /// <summary>The padded tensors of the items at <paramref name="indices"/>, in that order.</summary>
    public ItemBatch Batch(int[] indices)
    {
        var sequences = indices.Select(i => ids[i]).ToArray();
        var (padded, lengths) = Pad(sequences, device);
        var labelTensor = torch.tensor(indices.Select(i => (long)labels[i]).ToArray()).to(device);
        return new ItemBatch(padded, lengths, labelTensor, indices);
    }

    /// <summary>Right-padded ids (B, L) on <paramref name="device"/> and lengths (B) on the CPU.</summary>
    public static (Tensor Ids, Tensor Lengths) Pad(IReadOnlyList<int[]> sequences, Device device)
    {
        var width = sequences.Max(s => s.Length);
        var buffer = new long[sequences.Count * width]; // zeros: <pad>
        for (var row = 0; row < sequences.Count; row++)
        {
            for (var t = 0; t < sequences[row].Length; t++)
            {
                buffer[row * width + t] = sequences[row][t];
            }
        }
        var padded = torch.tensor(buffer, [sequences.Count, width]).to(device);
        var lengths = torch.tensor(sequences.Select(s => (long)s.Length).ToArray());
        return (padded, lengths);
    }

    /// <summary>Items for one epoch, as many as the split holds: a uniform class, then a uniform item of it.</summary>
    private int[] BalancedDraw(Random random)
    {
        var byClass = labels.Select((label, i) => (label, i)).GroupBy(p => p.label)
            .Select(g => g.Select(p => p.i).ToArray()).ToArray();
        var order = new int[Count];
        for (var n = 0; n < order.Length; n++)
        {
            var members = byClass[random.Next(byClass.Length)];
            order[n] = members[random.Next(members.Length)];
        }
        return order;
    }

    /// <summary>
    /// Class weights N / (K n_k) for the weighted loss (every class contributes equally in total),
    /// raised to <paramref name="power"/> (0.5: the square root).
    /// </summary>
    public static float[] ClassWeights(IReadOnlyList<LabeledItem> items, int classCount, double power = 1)
    {
        var counts = new int[classCount];
        foreach (var item in items)
        {
            counts[item.Label]++;
        }
        return counts.Select(n => n == 0 ? 0f : (float)Math.Pow((double)items.Count / (classCount * n), power))
            .ToArray();
    }
}

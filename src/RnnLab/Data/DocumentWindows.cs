namespace RnnLab.Data;

// Documents mode: documents of similar length share a batch of B rows, padded on the right to the
// longest. The batch is cut into windows of T steps; the hidden state starts at zero for each batch
// and carries across its windows. Padding targets are ignored by the loss, and rows never mix, so a
// short document's padding changes nothing for the others.
//
//   row 0: <bos> h  i  <eos> <pad> <pad> <pad>
//   row 1: <bos> h  e  l     l     o     <eos>
//          |-- window 0 --|--- window 1 ----|       (T = 3; the last input is never a target's source)

/// <summary>Windows over batches of length-grouped, padded documents (documents mode).</summary>
public sealed class DocumentWindows : IWindowSource
{
    // documents are sorted by length within pools of this many batches, then the batches are shuffled:
    // little padding, yet a different mix every epoch
    private const int PoolBatches = 50;

    private readonly EncodedSplit split;
    private readonly int batchSize;
    private readonly int bptt;
    private readonly Device device;
    private readonly int? seed;
    private readonly int endColumn;
    private readonly Dictionary<int, List<int[]>> plans = [];
    private long[] buffer = [];

    /// <param name="seed">Shuffle seed for training; null gives one fixed order for evaluation.</param>
    /// <param name="readEndOfDocument">One more padding column, so that every row's &lt;eos&gt; is also an
    /// input and the state after it is computed (for losses and measures on that state); its targets are
    /// padding, so the loss does not change.</param>
    public DocumentWindows(EncodedSplit split, int batchSize, int bptt, Device device, int? seed, string splitName,
        bool readEndOfDocument = false)
    {
        if (seed is not null)
        {
            Check(split.DocumentCount, batchSize, splitName);
        }
        this.split = split;
        this.batchSize = batchSize;
        this.bptt = bptt;
        this.device = device;
        this.seed = seed;
        endColumn = readEndOfDocument ? 1 : 0;
    }

    /// <summary>Refuses a training split with fewer documents than one batch.</summary>
    public static void Check(int documents, int batchSize, string splitName)
    {
        if (documents < batchSize)
        {
            throw new RnnLabException(
                $"the {splitName} split has {documents} documents, fewer than one batch of " +
                $"--batch-size {batchSize}; lower --batch-size or give more documents");
        }
    }

    public int WindowCount(int epoch) => Plan(epoch).Sum(WindowsIn);

    public IEnumerable<Window> Windows(int epoch, int skip = 0)
    {
        foreach (var batch in Plan(epoch))
        {
            var count = WindowsIn(batch);
            if (skip >= count)
            {
                skip -= count;
                continue;
            }
            using var padded = Pad(batch); // (B, L)
            for (var i = skip; i < count; i++)
            {
                var start = (long)i * bptt;
                var length = Math.Min(bptt, padded.shape[1] - 1 - start);
                yield return new Window(padded.narrow(1, start, length), padded.narrow(1, start + 1, length),
                    i == 0, Targets(batch, start, length), Classes(batch));
            }
            skip = 0;
        }
    }

    private List<int[]> Plan(int epoch)
    {
        var key = seed is null ? 0 : epoch;
        if (plans.TryGetValue(key, out var plan))
        {
            return plan;
        }
        var order = Enumerable.Range(0, split.DocumentCount).ToArray();
        var random = new Random(seed is null ? 0 : unchecked(seed.Value + 7919 * epoch));
        if (seed is not null)
        {
            random.Shuffle(order);
        }

        // evaluation sorts all documents by length (least padding) but still shuffles the batches,
        // always the same way, so the first N windows (--eval-batches) are a fair sample
        var pool = seed is null ? order.Length : PoolBatches * batchSize;
        var batches = order.Chunk(pool)
            .SelectMany(chunk => chunk.OrderBy(Length).Chunk(batchSize))
            .ToArray();
        random.Shuffle(batches);
        plan = [.. batches];
        plans.Clear(); // one epoch's plan at a time: memory stays flat
        plans[key] = plan;
        return plan;
    }

    private int Length(int document) => split.Offsets[document + 1] - split.Offsets[document];

    private int WindowsIn(int[] batch) => (batch.Max(Length) + endColumn - 1 + bptt - 1) / bptt;

    private long Targets(int[] batch, long start, long length) =>
        batch.Sum(d => Math.Clamp(Length(d) - 1 - start, 0, length));

    private Tensor? Classes(int[] batch) => split.Labels is { } labels
        ? torch.tensor(batch.Select(d => (long)labels[d]).ToArray()).to(device).DetachFromDisposeScope()
        : null;

    private Tensor Pad(int[] batch)
    {
        var width = batch.Max(Length) + endColumn;
        if (buffer.Length < batch.Length * width)
        {
            buffer = new long[batch.Length * width];
        }
        Array.Fill(buffer, Vocabulary.Pad, 0, batch.Length * width);
        for (var row = 0; row < batch.Length; row++)
        {
            var document = split.Document(batch[row]);
            for (var t = 0; t < document.Length; t++)
            {
                buffer[row * width + t] = document[t];
            }
        }
        var padded = torch.tensor(buffer.AsSpan(0, batch.Length * width).ToArray(), [batch.Length, width]);
        if (device.type == DeviceType.CPU)
        {
            return padded.DetachFromDisposeScope();
        }
        using (padded)
        {
            return padded.to(device).DetachFromDisposeScope();
        }
    }

    public void Dispose()
    {
    }
}

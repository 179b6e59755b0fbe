namespace RnnLab.Data;

// Stream mode lays the text out as B parallel rows, each a contiguous part of the text, and walks
// them left to right in windows of T steps. The targets are the inputs shifted one step, so the
// last window may be shorter. The hidden state of row b carries from one window to the next.
//
//   text:  a b c d e f g h i j k l m n o p q r s t u v w x      (B = 3, T = 3)
//
//   row 0: a b c | d e f | g h        window 0 inputs a b c, targets b c d
//   row 1: i j k | l m n | o p        window 1 inputs d e f, targets e f g
//   row 2: q r s | t u v | w x        window 2 inputs g,     targets h

/// <summary>Windows over one long text cut into B rows (stream mode).</summary>
public sealed class StreamWindows : IWindowSource
{
    private readonly Tensor data; // (B, N), as packed as the ids: uint8, int16 or int32
    private readonly int bptt;
    private readonly long columns;

    /// <remarks>
    /// On the CPU the rows are a view of <paramref name="ids"/>' own memory, no copy; a window is
    /// widened to int64 (what the embedding takes) only when it is used.
    /// </remarks>
    public StreamWindows(PackedIds ids, int batchSize, int bptt, Device device, string splitName)
    {
        Check(ids.Length, batchSize, splitName);
        columns = ids.Length / batchSize;
        this.bptt = bptt;
        using var all = ids.ToTensor();
        using var rows = all.narrow(0, 0, columns * batchSize).view(batchSize, columns);
        data = (device.type == DeviceType.CPU ? rows.alias() : rows.to(device)).DetachFromDisposeScope();
    }

    /// <summary>Refuses a split too short for B streams of at least two characters each.</summary>
    public static void Check(int length, int batchSize, string splitName)
    {
        if (length / batchSize < 2)
        {
            var fix = batchSize > 1 ? "lower --batch-size or give more text" : "give more text";
            throw new RnnLabException(
                $"the {splitName} split has {length} characters, too few for --batch-size {batchSize} " +
                $"streams of at least 2 characters; {fix}");
        }
    }

    public int WindowCount(int epoch) => (int)((columns - 1 + bptt - 1) / bptt);

    public IEnumerable<Window> Windows(int epoch, int skip = 0)
    {
        var rows = data.shape[0];
        for (var i = skip; i < WindowCount(epoch); i++)
        {
            var start = (long)i * bptt;
            var length = Math.Min(bptt, columns - 1 - start);
            yield return new Window(Widened(start, length), Widened(start + 1, length), i == 0, rows * length);
        }
    }

    private Tensor Widened(long start, long length)
    {
        using var part = data.narrow(1, start, length);
        return part.to(ScalarType.Int64).DetachFromDisposeScope();
    }

    public void Dispose() => data.Dispose();
}

namespace RnnLab.Sampling;

/// <summary>
/// Draws each row's next character from its logits, on the host: greedy, or sampled at a
/// temperature among the top k and within the top-p nucleus. A step's logits are a few hundred
/// numbers per row, which the host handles in well under a microsecond, while the same filters as
/// tensor operations cost several libtorch calls per character (measurable at batch 1). Seeded, it
/// repeats exactly.
/// </summary>
public sealed class CharacterChooser
{
    private readonly SampleOptions options;
    private readonly bool[] banned;
    private readonly Random random;
    private double[] weights = [];
    private int[] order = [];

    /// <param name="banned">Ids never drawn (per id: true to ban).</param>
    public CharacterChooser(SampleOptions options, bool[] banned, long seed)
    {
        this.options = options;
        this.banned = banned;
        random = new Random(unchecked((int)(seed ^ (seed >> 32))));
    }

    /// <summary>Writes each of <paramref name="rows"/> rows' choice into <paramref name="chosen"/>.</summary>
    /// <param name="logits">Row-major (rows, V).</param>
    public void Choose(ReadOnlySpan<float> logits, int rows, Span<long> chosen)
    {
        var size = logits.Length / rows;
        if (weights.Length < size)
        {
            weights = new double[size];
            order = new int[size];
        }
        for (var row = 0; row < rows; row++)
        {
            chosen[row] = ChooseOne(logits.Slice(row * size, size));
        }
    }

    private int ChooseOne(ReadOnlySpan<float> logits)
    {
        var best = -1;
        for (var id = 0; id < logits.Length; id++)
        {
            if (!banned[id] && (best < 0 || logits[id] > logits[best]))
            {
                best = id;
            }
        }
        if (options.Greedy || best < 0)
        {
            return Math.Max(best, 0);
        }
        // softmax at the temperature, shifted by the largest logit so nothing overflows
        var w = weights.AsSpan(0, logits.Length);
        for (var id = 0; id < logits.Length; id++)
        {
            w[id] = banned[id] ? 0 : Math.Exp((logits[id] - logits[best]) / options.Temperature);
        }
        if (options.TopK > 0 && options.TopK < logits.Length || options.TopP < 1)
        {
            Filter(w);
        }
        var total = 0.0;
        foreach (var weight in w)
        {
            total += weight;
        }
        var draw = random.NextDouble() * total;
        var last = best;
        for (var id = 0; id < w.Length; id++)
        {
            if (w[id] > 0)
            {
                last = id;
                draw -= w[id];
                if (draw < 0)
                {
                    return id;
                }
            }
        }
        return last; // rounding left a sliver of the draw: the last candidate takes it
    }

    // zeroes what top-k and top-p leave out: the k largest stay (with any tied with the k-th), then
    // a character goes when those ranked above it already reach p (the first always stays)
    private void Filter(Span<double> w)
    {
        var ranked = order.AsSpan(0, w.Length);
        for (var id = 0; id < ranked.Length; id++)
        {
            ranked[id] = id;
        }
        var values = weights;
        ranked.Sort((a, b) => values[b].CompareTo(values[a]));
        if (options.TopK > 0 && options.TopK < w.Length)
        {
            var kth = w[ranked[options.TopK - 1]];
            foreach (var id in ranked[options.TopK..])
            {
                if (w[id] < kth)
                {
                    w[id] = 0;
                }
            }
        }
        if (options.TopP < 1)
        {
            var total = 0.0;
            foreach (var weight in w)
            {
                total += weight;
            }
            var above = 0.0;
            for (var rank = 0; rank < ranked.Length; rank++)
            {
                var id = ranked[rank];
                var share = w[id] / total;
                if (rank > 0 && above > options.TopP)
                {
                    w[id] = 0;
                }
                above += share;
            }
        }
    }
}

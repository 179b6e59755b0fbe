using RnnLab.Configuration;

namespace RnnLab.Data;

/// <summary>The training and validation windows of a prepared corpus, in the config's mode.</summary>
public sealed class WindowSources : IDisposable
{
    private WindowSources(IWindowSource train, IWindowSource validation)
    {
        Train = train;
        Validation = validation;
    }

    public IWindowSource Train { get; }

    public IWindowSource Validation { get; }

    /// <summary>Builds both; a split too small for one batch fails here, before anything is written.</summary>
    /// <param name="readEndOfDocument">Documents mode: training windows also read each &lt;eos&gt; (see
    /// <see cref="DocumentWindows"/>); validation windows always do, to measure the state it leaves.</param>
    public static WindowSources Create(DataConfig data, int seed, PreparedCorpus corpus, Device device,
        bool readEndOfDocument = false)
    {
        var train = For(data, corpus.Train, device, seed, "training", readEndOfDocument);
        try
        {
            return new WindowSources(train, For(data, corpus.Validation, device, null, "validation", true));
        }
        catch
        {
            train.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The checks <see cref="Create"/> makes, without building any tensor: a split too small for one
    /// batch fails here, before a run folder exists.
    /// </summary>
    public static void Check(DataConfig data, PreparedCorpus corpus)
    {
        if (data.Mode == CorpusMode.Stream)
        {
            StreamWindows.Check(corpus.Train.Ids.Length, data.BatchSize, "training");
            StreamWindows.Check(corpus.Validation.Ids.Length, data.BatchSize, "validation");
        }
        else
        {
            DocumentWindows.Check(corpus.Train.DocumentCount, data.BatchSize, "training");
        }
    }

    /// <summary>Windows over one split; <paramref name="seed"/> null keeps a fixed order (evaluation).</summary>
    public static IWindowSource For(DataConfig data, EncodedSplit split, Device device, int? seed, string name,
        bool readEndOfDocument = false) =>
        data.Mode == CorpusMode.Stream
            ? new StreamWindows(split.Ids, data.BatchSize, data.Bptt, device, name)
            : new DocumentWindows(split, data.BatchSize, data.Bptt, device, seed, name, readEndOfDocument);

    public void Dispose()
    {
        Train.Dispose();
        Validation.Dispose();
    }
}

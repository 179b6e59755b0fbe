using System.Security.Cryptography;
using System.Text;
using RnnLab.Configuration;

namespace RnnLab.Data;

/// <summary>
/// Turns a text file into a <see cref="PreparedCorpus"/>: decode, split into train and validation,
/// build (or reuse) the vocabulary, encode. The result is cached on disk, keyed by the file's
/// content and every setting that changes the result, so a second run skips all of it.
/// </summary>
public static class CorpusPreparer
{
    private const int FormatVersion = 1;

    public static PreparedCorpus Prepare(DataConfig data, int seed, Vocabulary? vocabulary, string? cacheDir)
    {
        if (data.ConditionOnClass)
        {
            // TODO: not cached; class folders so far are small (names: 160 KB, read in under 100 ms)
            return PrepareClasses(data, seed, vocabulary);
        }
        var bytes = ReadBytes(data.Path);
        var dataHash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var key = CacheKey(dataHash, data, seed, vocabulary);
        var cachePath = cacheDir is null ? null : Path.Combine(cacheDir, "corpus", key + ".bin");
        if (cachePath is not null && CorpusCache.TryLoad(cachePath) is { } cached)
        {
            return cached with { FromCache = true };
        }
        var corpus = CorpusReader.Decode(data.Path, bytes);
        var prepared = data.Mode == CorpusMode.Stream
            ? PrepareStream(corpus, data, vocabulary, dataHash)
            : PrepareDocuments(corpus, data, seed, vocabulary, dataHash);
        if (cachePath is not null)
        {
            CorpusCache.Save(cachePath, prepared);
        }
        return prepared;
    }

    /// <summary>
    /// Encodes a whole file with a fixed vocabulary (for evaluation): one stream, or every document.
    /// Returns the split and how many characters the vocabulary lacked (they became &lt;unk&gt;).
    /// </summary>
    public static (EncodedSplit Split, int Unknown) EncodeWhole(DataConfig data, Vocabulary vocabulary)
    {
        if (data.ConditionOnClass)
        {
            // TODO: evaluating a class-conditioned model needs each document's class; not built yet
            throw new RnnLabException(
                "this model is conditioned on a class; 'rnnlab eval' and 'rnnlab score' do not support such " +
                "models yet");
        }
        var corpus = CorpusReader.Decode(data.Path, ReadBytes(data.Path));
        EncodedSplit split;
        if (data.Mode == CorpusMode.Stream)
        {
            split = EncodedSplit.Stream(Encode(CorpusReader.Scalars(corpus.Text), vocabulary));
        }
        else
        {
            var documents = DocumentSplitter.Split(corpus, data).Select(CorpusReader.Scalars).ToArray();
            split = EncodeDocuments(documents, vocabulary);
        }
        return (split, split.Ids.Count(id => id == Vocabulary.Unk));
    }

    /// <summary>The default cache folder: $RNNLAB_CACHE, else $XDG_CACHE_HOME/rnnlab, else ~/.cache/rnnlab.</summary>
    public static string DefaultCacheDir()
    {
        if (Environment.GetEnvironmentVariable("RNNLAB_CACHE") is { Length: > 0 } explicitDir)
        {
            return explicitDir;
        }
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var root = string.IsNullOrEmpty(xdg)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache")
            : xdg;
        return Path.Combine(root, "rnnlab");
    }

    private static byte[] ReadBytes(string path) => CorpusReader.ReadBytes(path,
        "pass a UTF-8 text file (a folder of <Class>.txt files needs --mode documents --condition-on-class)");

    private static string CacheKey(string dataHash, DataConfig data, int seed, Vocabulary? vocabulary)
    {
        var parts = string.Join('\u001f', FormatVersion, dataHash, data.Mode, data.Delimiter ?? "-",
            data.CsvColumn ?? "-", data.ValFraction.ToString("R", CultureInfo.InvariantCulture), seed,
            data.MinCharCount, vocabulary?.Hash() ?? "-");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(parts)))[..32];
    }

    private static PreparedCorpus PrepareStream(
        CorpusText corpus, DataConfig data, Vocabulary? vocabulary, string dataHash)
    {
        // the validation split is the tail of the text, so it is text the model never saw
        var scalars = CorpusReader.Scalars(corpus.Text);
        var validationLength = (int)Math.Round(scalars.Length * data.ValFraction);
        var train = scalars.AsSpan(0, scalars.Length - validationLength);
        var validation = scalars.AsSpan(scalars.Length - validationLength);
        vocabulary ??= NotEmpty(Vocabulary.Build(train, data.MinCharCount), data);
        return new PreparedCorpus(vocabulary, EncodedSplit.Stream(Encode(train, vocabulary)),
            EncodedSplit.Stream(Encode(validation, vocabulary)), dataHash, corpus.NormalisationNote());
    }

    private static PreparedCorpus PrepareDocuments(
        CorpusText corpus, DataConfig data, int seed, Vocabulary? vocabulary, string dataHash)
    {
        var documents = DocumentSplitter.Split(corpus, data).Select(CorpusReader.Scalars).ToArray();
        if (documents.Length < 2)
        {
            var hint = data.Delimiter is { } delimiter
                ? $"; documents are separated by lines that are exactly '{delimiter}'"
                : "; documents are lines (or pass --delimiter or --csv-column)";
            throw new RnnLabException(
                $"{corpus.Path} holds {documents.Length} document; training and validation need at least 2{hint}");
        }

        var (trainAt, validationAt) = HoldOut(documents.Length, data.ValFraction, seed);
        var validation = validationAt.Select(i => documents[i]).ToArray();
        var train = trainAt.Select(i => documents[i]).ToArray();
        vocabulary ??= NotEmpty(Vocabulary.Build(train, data.MinCharCount), data);
        return new PreparedCorpus(vocabulary, EncodeDocuments(train, vocabulary),
            EncodeDocuments(validation, vocabulary), dataHash, corpus.NormalisationNote());
    }

    // a folder of <Class>.txt files: every line a document labelled with its file's class, repeated
    // (document, class) pairs dropped, whole documents held out for validation by a seeded shuffle
    private static PreparedCorpus PrepareClasses(DataConfig data, int seed, Vocabulary? vocabulary)
    {
        if (!Directory.Exists(data.Path))
        {
            throw new RnnLabException(
                $"--condition-on-class needs --data to be a folder of <Class>.txt files; {data.Path} is not a folder");
        }
        var labeled = Classification.LabeledDataReader.Read(new Classification.ClassifyDataConfig { Path = data.Path });
        var documents = labeled.Items.Select(item => CorpusReader.Scalars(item.Text)).ToArray();
        var labels = labeled.Items.Select(item => item.Label).ToArray();
        var (train, validation) = HoldOut(documents.Length, data.ValFraction, seed);
        vocabulary ??= NotEmpty(Vocabulary.Build(train.Select(i => documents[i]), data.MinCharCount), data);
        EncodedSplit Part(int[] indices) =>
            EncodeDocuments(indices.Select(i => documents[i]).ToArray(), vocabulary) with
            {
                Labels = indices.Select(i => labels[i]).ToArray(),
            };
        return new PreparedCorpus(vocabulary, Part(train), Part(validation), labeled.DataHash, null)
        {
            Classes = labeled.Classes,
        };
    }

    // whole documents go to validation, chosen by a seeded shuffle; both parts keep file order
    private static (int[] Train, int[] Validation) HoldOut(int count, double fraction, int seed)
    {
        var order = Enumerable.Range(0, count).ToArray();
        new Random(seed).Shuffle(order);
        var validationCount = Math.Clamp((int)Math.Round(count * fraction), 1, count - 1);
        return (order[validationCount..].Order().ToArray(), order[..validationCount].Order().ToArray());
    }

    private static Vocabulary NotEmpty(Vocabulary vocabulary, DataConfig data) =>
        vocabulary.Count > Vocabulary.Specials.Count
            ? vocabulary
            : throw new RnnLabException(
                $"with --min-char-count {data.MinCharCount} no character of the training text is frequent enough; " +
                "lower it");

    private static int[] Encode(ReadOnlySpan<int> scalars, Vocabulary vocabulary)
    {
        var ids = new int[scalars.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = vocabulary.Encode(scalars[i]);
        }
        return ids;
    }

    private static EncodedSplit EncodeDocuments(int[][] documents, Vocabulary vocabulary)
    {
        var offsets = new int[documents.Length + 1];
        for (var i = 0; i < documents.Length; i++)
        {
            offsets[i + 1] = offsets[i] + documents[i].Length + 2;
        }
        var ids = new int[offsets[^1]];
        for (var i = 0; i < documents.Length; i++)
        {
            ids[offsets[i]] = Vocabulary.Bos;
            Encode(documents[i], vocabulary).CopyTo(ids, offsets[i] + 1);
            ids[offsets[i + 1] - 1] = Vocabulary.Eos;
        }
        return new EncodedSplit(ids, offsets);
    }
}

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
    private const int FormatVersion = 2;

    public static PreparedCorpus Prepare(DataConfig data, int seed, Vocabulary? vocabulary, string? cacheDir)
    {
        if (data.ConditionOnClass)
        {
            // TODO: not cached; class folders so far are small (names: 160 KB, read in under 100 ms)
            return PrepareClasses(data, seed, vocabulary);
        }
        // the cache is keyed by the files' content: hashing them is one streamed read each, far
        // cheaper than preparing them again
        var known = cacheDir is null ? null : HashFile(data.Path);
        var validationHash = data.ValPath is { } valPath ? HashFile(valPath, "--val-data") ?? "unhashed" : "-";
        if (known is not null
            && CorpusCache.TryLoad(CachePath(cacheDir!, known, validationHash, data, seed, vocabulary)) is { } cached)
        {
            return cached with { FromCache = true };
        }
        PreparedCorpus prepared;
        if (Scanned(data))
        {
            var scan = TextScanner.Scan(data.Path, data.Mode == CorpusMode.Documents, FolderHint);
            prepared = data.Mode == CorpusMode.Stream
                ? PrepareStream(scan, data, vocabulary)
                : PrepareLines(scan, data, seed, vocabulary);
        }
        else
        {
            var bytes = ReadBytes(data.Path);
            var corpus = Decode(data, data.Path, bytes);
            var validationText = data.ValPath is { } path ? Decode(data, path, ReadBytes(path)) : null;
            var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
            prepared = data.Mode == CorpusMode.Stream
                ? PrepareStream(corpus, validationText, data, vocabulary, hash)
                : PrepareDocuments(corpus, validationText, data, seed, vocabulary, hash);
        }
        if (known is not null && validationHash != "unhashed")
        {
            CorpusCache.Save(CachePath(cacheDir!, prepared.DataHash, validationHash, data, seed, vocabulary), prepared);
        }
        return prepared;
    }

    /// <summary>
    /// Encodes a whole file with a fixed vocabulary (for evaluation): one stream, or every document.
    /// Returns the split and how many characters the vocabulary lacked (they became &lt;unk&gt;).
    /// </summary>
    public static (EncodedSplit Split, long Unknown) EncodeWhole(DataConfig data, Vocabulary vocabulary)
    {
        if (data.ConditionOnClass)
        {
            // TODO: evaluating a class-conditioned model needs each document's class; not built yet
            throw new RnnLabException(
                "this model is conditioned on a class; 'rnnlab eval' and 'rnnlab score' do not support such " +
                "models yet");
        }
        EncodedSplit split;
        if (Scanned(data with { ValPath = null }))
        {
            var scan = TextScanner.Scan(data.Path, data.Mode == CorpusMode.Documents, FolderHint);
            var renumbering = scan.Renumbering(vocabulary);
            split = data.Mode == CorpusMode.Stream
                ? EncodedSplit.Stream(scan.Ids.Renumber(renumbering))
                : EncodeLines(scan, NoEmptyLines(scan).Select((_, i) => i).ToArray(), renumbering, vocabulary.Count);
        }
        else
        {
            var corpus = Decode(data, data.Path, ReadBytes(data.Path));
            split = data.Mode == CorpusMode.Stream
                ? EncodedSplit.Stream(Encode(CorpusReader.Scalars(corpus.Text), vocabulary))
                : EncodeDocuments(DocumentSplitter.Split(corpus, data).Select(CorpusReader.Scalars).ToArray(),
                    vocabulary);
        }
        return (split, split.Ids.Count(Vocabulary.Unk));
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

    private const string FolderHint =
        "pass a UTF-8 text file (a folder of <Class>.txt files needs --mode documents --condition-on-class)";

    private static byte[] ReadBytes(string path) => CorpusReader.ReadBytes(path, FolderHint);

    // SHA-256 of a file's bytes, read in chunks; null for a pipe or device, which gives its bytes
    // once (so it is neither looked up nor cached)
    private static string? HashFile(string path, string flag = "--data")
    {
        if (CorpusReader.CheckReadable(path, FolderHint, flag) == 0)
        {
            return null;
        }
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 20);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    // a plain-text stream, or documents one per line, is read in one pass over the bytes (any size);
    // documents between delimiter lines or in CSV rows, ptb-char files and a separate validation
    // file go through the decoded text
    private static bool Scanned(DataConfig data) =>
        data.Format == DataFormat.Text && data.ValPath is null
        && (data.Mode == CorpusMode.Stream || data.Delimiter is null && data.CsvColumn is null);

    // a file decoded, and in ptb-char format turned into plain text
    private static CorpusText Decode(DataConfig data, string path, byte[] bytes)
    {
        var corpus = CorpusReader.Decode(path, bytes);
        return data.Format == DataFormat.PtbChar
            ? corpus with { Text = PtbChar.ToPlainText(corpus.Text, path) }
            : corpus;
    }

    private static string CachePath(string cacheDir, string dataHash, string validationHash, DataConfig data,
        int seed, Vocabulary? vocabulary)
    {
        var parts = string.Join('\u001f', FormatVersion, dataHash, validationHash, data.Format, data.Mode,
            data.Delimiter ?? "-", data.CsvColumn ?? "-", data.ValFraction.ToString("R", CultureInfo.InvariantCulture),
            seed, data.MinCharCount, vocabulary?.Hash() ?? "-");
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(parts)))[..32];
        return Path.Combine(cacheDir, "corpus", key + ".bin");
    }

    private static PreparedCorpus PrepareStream(ScannedText scan, DataConfig data, Vocabulary? vocabulary)
    {
        // the validation split is the tail of the text, so it is text the model never saw
        var length = scan.Ids.Length;
        var validationLength = (int)Math.Round(length * data.ValFraction);
        var trainLength = length - validationLength;
        vocabulary ??= NotEmpty(scan.Vocabulary(scan.Counts(0, trainLength), data.MinCharCount), data);
        var ids = scan.Ids.Renumber(scan.Renumbering(vocabulary)); // in place: the corpus is held once
        return new PreparedCorpus(vocabulary, EncodedSplit.Stream(ids.Slice(0, trainLength)),
            EncodedSplit.Stream(ids.Slice(trainLength, validationLength)), scan.DataHash,
            scan.Summary.NormalisationNote());
    }

    // the decoded-text path: the validation split is the tail of the text, or a file of its own
    private static PreparedCorpus PrepareStream(CorpusText corpus, CorpusText? validationText, DataConfig data,
        Vocabulary? vocabulary, string dataHash)
    {
        var scalars = CorpusReader.Scalars(corpus.Text);
        var validationLength = validationText is null ? (int)Math.Round(scalars.Length * data.ValFraction) : 0;
        var train = scalars.AsSpan(0, scalars.Length - validationLength);
        var validation = validationText is null
            ? scalars.AsSpan(scalars.Length - validationLength)
            : CorpusReader.Scalars(validationText.Text);
        vocabulary ??= NotEmpty(Vocabulary.Build(train, data.MinCharCount), data);
        return new PreparedCorpus(vocabulary, EncodedSplit.Stream(Encode(train, vocabulary)),
            EncodedSplit.Stream(Encode(validation, vocabulary)), dataHash, corpus.NormalisationNote());
    }

    private static int[] Encode(ReadOnlySpan<int> scalars, Vocabulary vocabulary)
    {
        var ids = new int[scalars.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = vocabulary.Encode(scalars[i]);
        }
        return ids;
    }

    // documents mode, one document per non-blank line
    private static PreparedCorpus PrepareLines(ScannedText scan, DataConfig data, int seed, Vocabulary? vocabulary)
    {
        var lines = NoEmptyLines(scan);
        if (lines.Count < 2)
        {
            throw new RnnLabException(
                $"{data.Path} holds {lines.Count} document; training and validation need at least 2; documents " +
                "are lines (or pass --delimiter or --csv-column)");
        }
        var (train, validation) = HoldOut(lines.Count, data.ValFraction, seed);
        if (vocabulary is null)
        {
            var counts = new long[scan.Scalars.Length];
            foreach (var line in train)
            {
                scan.Counts(lines[line].Start, lines[line].Length, counts);
            }
            vocabulary = NotEmpty(scan.Vocabulary(counts, data.MinCharCount), data);
        }
        var renumbering = scan.Renumbering(vocabulary);
        return new PreparedCorpus(vocabulary, EncodeLines(scan, train, renumbering, vocabulary.Count),
            EncodeLines(scan, validation, renumbering, vocabulary.Count), scan.DataHash,
            scan.Summary.NormalisationNote());
    }

    private static IReadOnlyList<(int Start, int Length)> NoEmptyLines(ScannedText scan) =>
        scan.Lines.Count > 0
            ? scan.Lines
            : throw new RnnLabException($"{scan.Summary.Path} holds no documents (every one is empty)");

    // the chosen lines, each as <bos> text <eos>, renumbered into the vocabulary's ids
    private static EncodedSplit EncodeLines(ScannedText scan, int[] chosen, int[] renumbering, int vocabularySize)
    {
        var lines = scan.Lines;
        var offsets = new int[chosen.Length + 1];
        for (var i = 0; i < chosen.Length; i++)
        {
            offsets[i + 1] = offsets[i] + lines[chosen[i]].Length + 2;
        }
        var ids = PackedIds.Allocate(offsets[^1], PackedIds.WidthFor(vocabularySize));
        for (var i = 0; i < chosen.Length; i++)
        {
            var (start, length) = lines[chosen[i]];
            var at = offsets[i];
            ids.Set(at, Vocabulary.Bos);
            ids.SetMapped(at + 1, scan.Ids.Slice(start, length), renumbering);
            ids.Set(at + 1 + length, Vocabulary.Eos);
        }
        return new EncodedSplit(ids, offsets);
    }

    private static PreparedCorpus PrepareDocuments(CorpusText corpus, CorpusText? validationText, DataConfig data,
        int seed, Vocabulary? vocabulary, string dataHash)
    {
        var documents = DocumentSplitter.Split(corpus, data).Select(CorpusReader.Scalars).ToArray();
        if (validationText is not null)
        {
            var held = DocumentSplitter.Split(validationText, data).Select(CorpusReader.Scalars).ToArray();
            vocabulary ??= NotEmpty(Vocabulary.Build(documents, data.MinCharCount), data);
            return new PreparedCorpus(vocabulary, EncodeDocuments(documents, vocabulary),
                EncodeDocuments(held, vocabulary), dataHash, corpus.NormalisationNote());
        }
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

    private static EncodedSplit EncodeDocuments(int[][] documents, Vocabulary vocabulary)
    {
        var offsets = new int[documents.Length + 1];
        for (var i = 0; i < documents.Length; i++)
        {
            offsets[i + 1] = offsets[i] + documents[i].Length + 2;
        }
        var ids = PackedIds.Allocate(offsets[^1], PackedIds.WidthFor(vocabulary.Count));
        for (var i = 0; i < documents.Length; i++)
        {
            ids.Set(offsets[i], Vocabulary.Bos);
            for (var t = 0; t < documents[i].Length; t++)
            {
                ids.Set(offsets[i] + 1 + t, vocabulary.Encode(documents[i][t]));
            }
            ids.Set(offsets[i + 1] - 1, Vocabulary.Eos);
        }
        return new EncodedSplit(ids, offsets);
    }
}

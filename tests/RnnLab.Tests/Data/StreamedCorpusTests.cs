using System.Text;

namespace RnnLab.Tests.Data;

/// <summary>
/// The one-pass reader (TextScanner) against the plain one (decode the whole file, split, encode):
/// same ids, vocabulary, normalisation and errors, with characters, CRLFs and lines cut by its
/// 4 MiB chunk boundaries, and ids packed at every width.
/// </summary>
public sealed class StreamedCorpusTests
{
    private const int Chunk = 4 << 20;

    // the plain reading of a stream-mode file: all of it decoded, then each character encoded
    private static (int[] Train, int[] Validation, Vocabulary Vocabulary) Plain(string path, double fraction)
    {
        var scalars = CorpusReader.Scalars(CorpusReader.Read(path).Text);
        var validation = (int)Math.Round(scalars.Length * fraction);
        var train = scalars[..^validation];
        var vocabulary = Vocabulary.Build(train);
        return (train.Select(vocabulary.Encode).ToArray(), scalars[^validation..].Select(vocabulary.Encode).ToArray(),
            vocabulary);
    }

    [Fact]
    public void CharactersAndLineEndsCutByChunkBoundariesReadAsAWholeFileDoes()
    {
        using var dir = new TempDir();
        // padding puts a 4-byte emoji across the first boundary and a CRLF across the second
        var text = new StringBuilder();
        text.Append('a', Chunk - 2).Append("😀").Append("é\r");
        text.Append('b', Chunk - 7).Append("\r\nx\ry\r\n");
        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        Assert.Equal(0xF0, bytes[Chunk - 2]); // the emoji's first byte is before the boundary
        var path = dir.WriteBytes("cut.txt", [0xEF, 0xBB, 0xBF, .. bytes]);

        var corpus = CorpusPreparer.Prepare(new DataConfig { Path = path, ValFraction = 0.25 }, 1, null, null);

        var (train, validation, vocabulary) = Plain(path, 0.25);
        Assert.Equal(vocabulary.Characters, corpus.Vocabulary.Characters);
        Assert.Equal(train, corpus.Train.Ids.ToArray());
        Assert.Equal(validation, corpus.Validation.Ids.ToArray());
        Assert.Equal($"{path}: dropped a UTF-8 byte-order mark; turned 2 CRLF line ends into LF; turned 2 lone CR " +
            "into LF", corpus.Note);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path))),
            corpus.DataHash);
    }

    [Fact]
    public void DocumentLinesMatchTheSplitterOnRealTweets()
    {
        var path = Path.Combine(Paths.SharedData, "tweets", "trump_tweets.txt");
        var config = new DataConfig { Path = path, Mode = CorpusMode.Documents, ValFraction = 0.1 };

        var corpus = CorpusPreparer.Prepare(config, seed: 5, null, null);

        // every line once, encoded with the vocabulary of the training lines alone (validation-only
        // characters are <unk>); compared as id sequences in a fixed order
        var lines = DocumentSplitter.Split(CorpusReader.Read(path), config).Select(CorpusReader.Scalars).ToArray();
        var train = Enumerable.Range(0, corpus.Train.DocumentCount).Select(i => corpus.Train.Document(i).ToArray());
        var validation = Enumerable.Range(0, corpus.Validation.DocumentCount)
            .Select(i => corpus.Validation.Document(i).ToArray());
        string Key(IEnumerable<int> ids) => string.Join(',', ids);
        var expected = lines.Select(l => Key([Vocabulary.Bos, .. l.Select(corpus.Vocabulary.Encode), Vocabulary.Eos]))
            .Order(StringComparer.Ordinal);
        Assert.Equal(expected, train.Concat(validation).Select(Key).Order(StringComparer.Ordinal));
        var trainScalars = train.Select(d => CorpusReader.Scalars(corpus.Vocabulary.DecodeText(d)));
        Assert.Equal(Vocabulary.Build(trainScalars).Characters, corpus.Vocabulary.Characters);
        // more than 252 distinct characters: ids are stored two bytes each
        Assert.True(corpus.Vocabulary.Count > 256);
        Assert.Equal(2, corpus.Train.Ids.Width);
    }

    [Fact]
    public void BlankAndWhiteSpaceLinesAreNoDocuments()
    {
        using var dir = new TempDir();
        var path = dir.Write("d.txt", "aaa\n \t\n\u00A0\n\naa \r\n  a");

        var corpus = CorpusPreparer.Prepare(new DataConfig { Path = path, Mode = CorpusMode.Documents,
            ValFraction = 0.34 }, 1, null, null);

        var texts = Enumerable.Range(0, corpus.Train.DocumentCount).Select(corpus.Train.Document)
            .Concat(Enumerable.Range(0, corpus.Validation.DocumentCount).Select(corpus.Validation.Document))
            .Select(d => corpus.Vocabulary.DecodeText(d)).Order(StringComparer.Ordinal);
        Assert.Equal(["  a", "aa ", "aaa"], texts);
    }

    [Theory]
    [InlineData(200, 1)] // one byte per id
    [InlineData(600, 2)] // more than 252 distinct characters
    [InlineData(40000, 4)] // more than 32,764
    public void IdsArePackedAsNarrowlyAsTheVocabularyAllowsAndSurviveTheCache(int distinct, int width)
    {
        using var dir = new TempDir();
        // CJK ideographs: the basic block, or for many the supplementary plane (two UTF-16 units each)
        var characters = Enumerable.Range(distinct > 20000 ? 0x20000 : 0x4E00, distinct).Select(char.ConvertFromUtf32)
            .ToArray();
        var text = string.Concat(Enumerable.Range(0, 3).SelectMany(_ => characters));
        var path = dir.Write("wide.txt", text);
        var config = new DataConfig { Path = path, ValFraction = 0.1 };

        var corpus = CorpusPreparer.Prepare(config, 1, null, dir.File("cache"));
        var cached = CorpusPreparer.Prepare(config, 1, null, dir.File("cache"));

        Assert.Equal(width, corpus.Train.Ids.Width);
        var (train, validation, _) = Plain(path, 0.1);
        Assert.Equal(train, corpus.Train.Ids.ToArray());
        Assert.True(cached.FromCache);
        Assert.Equal(width, cached.Train.Ids.Width);
        Assert.Equal(train, cached.Train.Ids.ToArray());
        Assert.Equal(validation, cached.Validation.Ids.ToArray());
    }

    [Fact]
    public void ADamagedCacheFileIsRebuiltNotTrusted()
    {
        using var dir = new TempDir();
        var path = dir.Write("t.txt", string.Concat(Enumerable.Repeat("hello world\n", 100)));
        var config = new DataConfig { Path = path };
        var first = CorpusPreparer.Prepare(config, 1, null, dir.File("cache"));
        var file = Directory.GetFiles(dir.File("cache"), "*.bin", SearchOption.AllDirectories).Single();
        var bytes = File.ReadAllBytes(file);
        bytes[^40] ^= 1; // one id flipped: the hash no longer matches
        File.WriteAllBytes(file, bytes);

        var again = CorpusPreparer.Prepare(config, 1, null, dir.File("cache"));

        Assert.False(again.FromCache);
        Assert.Equal(first.Train.Ids.ToArray(), again.Train.Ids.ToArray());
    }

    [Fact]
    public void BadBytesAreReportedAtTheirOffsetInTheFileEvenPastTheFirstChunk()
    {
        using var dir = new TempDir();
        var good = Encoding.UTF8.GetBytes(new string('a', Chunk + 10));
        var path = dir.WriteBytes("bad.txt", [.. good, 0xC3, 0x28]);
        var nul = dir.WriteBytes("nul.txt", [.. good, 0x00]);

        var bad = Assert.Throws<RnnLabException>(() => CorpusPreparer.Prepare(new DataConfig { Path = path }, 1,
            null, null));
        var binary = Assert.Throws<RnnLabException>(() => CorpusPreparer.Prepare(new DataConfig { Path = nul }, 1, null,
            null));

        Assert.Equal($"{path} is not valid UTF-8: bad byte 0xC3 at byte offset {Chunk + 10}; convert it first " +
            "(e.g. iconv -f latin1 -t utf-8 IN > OUT)", bad.Message);
        Assert.Equal($"{nul} looks like a binary file (NUL byte at byte offset {Chunk + 10}); pass a UTF-8 text file",
            binary.Message);
    }

    [Fact]
    public void PackedIdsSliceCountAndTensorShareOneStore()
    {
        var ids = PackedIds.From([5, 1, 5, 2, 5, 3], 256);
        var tail = ids.Slice(2, 4);

        using var tensor = tail.ToTensor();

        Assert.Equal(ScalarType.Byte, tensor.dtype);
        Assert.Equal(new byte[] { 5, 2, 5, 3 }, tensor.data<byte>().ToArray());
        Assert.Equal(2, tail.Count(5));
        Assert.Equal(0, tail.Count(300));
        tail.Set(1, 7); // the tensor is a view of the same memory
        Assert.Equal(7, tensor[1].item<byte>());
        Assert.Equal(7, ids[3]);
    }
}

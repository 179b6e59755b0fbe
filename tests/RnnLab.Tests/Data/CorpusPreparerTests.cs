namespace RnnLab.Tests.Data;

public sealed class CorpusPreparerTests
{
    [Fact]
    public void StreamModeHoldsOutTheTail()
    {
        using var dir = new TempDir();
        var path = dir.Write("t.txt", "abcdefghba");

        var corpus = CorpusPreparer.Prepare(new DataConfig { Path = path, ValFraction = 0.2 }, 1, null, null);

        Assert.Equal("abcdefgh", corpus.Vocabulary.DecodeText(corpus.Train.Ids));
        Assert.Equal("ba", corpus.Vocabulary.DecodeText(corpus.Validation.Ids));
    }

    [Fact]
    public void DocumentsAreWrappedInBosAndEosAndSplitWhole()
    {
        using var dir = new TempDir();
        var path = dir.Write("d.txt", string.Join("\n", Corpora.Tweets));
        var config = new DataConfig { Path = path, Mode = CorpusMode.Documents, ValFraction = 0.25 };

        var corpus = CorpusPreparer.Prepare(config, seed: 3, null, null);

        Assert.Equal(6, corpus.Train.DocumentCount);
        Assert.Equal(2, corpus.Validation.DocumentCount);
        var all = Enumerable.Range(0, 6).Select(i => corpus.Train.Document(i).ToArray())
            .Concat(Enumerable.Range(0, 2).Select(i => corpus.Validation.Document(i).ToArray()))
            .ToList();
        Assert.All(all, d => Assert.Equal(Vocabulary.Bos, d[0]));
        Assert.All(all, d => Assert.Equal(Vocabulary.Eos, d[^1]));
        Assert.Equal(Corpora.Tweets.Order(), all.Select(d => corpus.Vocabulary.DecodeText(d)).Order());
    }

    [Fact]
    public void CacheReturnsTheSameCorpus()
    {
        using var dir = new TempDir();
        var path = dir.Write("d.txt", string.Join("\n", Corpora.Tweets));
        var config = new DataConfig { Path = path, Mode = CorpusMode.Documents };

        var first = CorpusPreparer.Prepare(config, 1, null, dir.File("cache"));
        var second = CorpusPreparer.Prepare(config, 1, null, dir.File("cache"));

        Assert.False(first.FromCache);
        Assert.True(second.FromCache);
        Assert.Equal(first.Train.Ids, second.Train.Ids);
        Assert.Equal(first.Validation.Offsets, second.Validation.Offsets);
        Assert.Equal(first.Vocabulary.Characters, second.Vocabulary.Characters);
        Assert.Equal(first.DataHash, second.DataHash);
    }

    [Fact]
    public void ChangedContentMissesTheCache()
    {
        using var dir = new TempDir();
        var path = dir.Write("d.txt", "abcdefgh");
        CorpusPreparer.Prepare(new DataConfig { Path = path }, 1, null, dir.File("cache"));
        File.WriteAllText(path, "Xbcdefgh");

        var corpus = CorpusPreparer.Prepare(new DataConfig { Path = path }, 1, null, dir.File("cache"));

        Assert.False(corpus.FromCache);
        Assert.Contains("X", corpus.Vocabulary.Characters);
    }

    [Fact]
    public void CorruptCacheFileIsRebuiltNotTrusted()
    {
        using var dir = new TempDir();
        var path = dir.Write("d.txt", "abcdefgh");
        CorpusPreparer.Prepare(new DataConfig { Path = path }, 1, null, dir.File("cache"));
        var cached = Directory.GetFiles(dir.File("cache"), "*.bin", SearchOption.AllDirectories).Single();
        var bytes = File.ReadAllBytes(cached);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(cached, bytes);

        var corpus = CorpusPreparer.Prepare(new DataConfig { Path = path }, 1, null, dir.File("cache"));

        Assert.False(corpus.FromCache);
        Assert.Equal("abcdefg", corpus.Vocabulary.DecodeText(corpus.Train.Ids));
    }

    [Fact]
    public void FixedVocabularyMapsNewCharactersToUnk()
    {
        using var dir = new TempDir();
        var path = dir.Write("d.txt", "abcabcabcz");
        var vocabulary = Vocabulary.Build(CorpusReader.Scalars("abc"));

        var corpus = CorpusPreparer.Prepare(new DataConfig { Path = path, ValFraction = 0.1 }, 1, vocabulary, null);

        Assert.Equal(vocabulary.Characters, corpus.Vocabulary.Characters);
        Assert.Equal(new[] { Vocabulary.Unk }, corpus.Validation.Ids);
    }
}

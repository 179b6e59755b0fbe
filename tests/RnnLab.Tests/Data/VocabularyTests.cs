namespace RnnLab.Tests.Data;

public sealed class VocabularyTests
{
    [Fact]
    public void RoundTripsTextWithEmoji()
    {
        const string text = "héllo 🎉 wörld 👍🏽\n";
        var vocabulary = Vocabulary.Build(CorpusReader.Scalars(text));

        var ids = vocabulary.EncodeText(text);

        Assert.Equal(text, vocabulary.DecodeText(ids));
        Assert.Equal(CorpusReader.Scalars(text).Length, ids.Length);
        Assert.DoesNotContain(Vocabulary.Unk, ids);
    }

    [Fact]
    public void SpecialsComeFirstThenCharactersByCodePoint()
    {
        var vocabulary = Vocabulary.Build(CorpusReader.Scalars("cab"));

        Assert.Equal(7, vocabulary.Count);
        Assert.Equal(new[] { "<pad>", "<bos>", "<eos>", "<unk>", "a", "b", "c" },
            Enumerable.Range(0, 7).Select(vocabulary.Decode));
    }

    [Fact]
    public void RareCharactersMapToUnk()
    {
        var vocabulary = Vocabulary.Build(CorpusReader.Scalars("aaabbc"), minCount: 2);

        Assert.Equal(new[] { 4, 4, 5, Vocabulary.Unk }, vocabulary.EncodeText("aabc"));
        Assert.Equal(new[] { "c", "z" }, vocabulary.Missing("cz"));
    }

    [Fact]
    public void JsonRoundTripKeepsEveryId()
    {
        var vocabulary = Vocabulary.Build(CorpusReader.Scalars("xyz🎉\n\t"));

        var copy = Vocabulary.FromJson(vocabulary.ToJson(), "vocab.json");

        Assert.Equal(vocabulary.Characters, copy.Characters);
        Assert.Equal(vocabulary.Hash(), copy.Hash());
    }

    [Theory]
    [InlineData("not json", "vocab.json: the vocabulary is not valid JSON")]
    [InlineData("""{"Specials":["<pad>"],"Characters":["a"]}""", "vocab.json: the vocabulary lacks the special tokens")]
    [InlineData("""{"Specials":["<pad>","<bos>","<eos>","<unk>"],"Characters":["ab"]}""",
        "vocab.json: vocabulary entry 'ab' is not exactly one character")]
    [InlineData("""{"Specials":["<pad>","<bos>","<eos>","<unk>"],"Characters":["a","a"]}""",
        "vocab.json: the vocabulary lists a character twice")]
    public void BadJsonIsRefusedWithItsReason(string json, string expected)
    {
        var error = Assert.Throws<RnnLabException>(() => Vocabulary.FromJson(json, "vocab.json"));

        Assert.StartsWith(expected, error.Message);
    }
}

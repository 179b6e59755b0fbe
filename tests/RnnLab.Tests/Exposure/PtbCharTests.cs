namespace RnnLab.Tests.Exposure;

public sealed class PtbCharTests
{
    [Fact]
    public void SpacedCharactersBecomePlainText()
    {
        var text = PtbChar.ToPlainText("a e r _ b a n k \n p i e r r e _ < u n k > _ N \n ", "x.txt");

        Assert.Equal("aer bank\npierre <unk> N\n", text);
    }

    [Fact]
    public void LongerTokensAreRefusedWithWhere()
    {
        var error = Assert.Throws<RnnLabException>(() => PtbChar.ToPlainText("a b cd e ", "x.txt"));

        Assert.Equal("x.txt is not in ptb-char format: token 'cd' at character 4; ptb-char files hold single " +
            "characters separated by one space (drop --format ptb-char for plain text)", error.Message);
    }

    [Fact]
    public void PreparedCorpusReadsTheSharedFilesWithTheirValidationFile()
    {
        var folder = Path.Combine(Paths.SharedData, "ptb_char");
        var data = new DataConfig
        {
            Path = Path.Combine(folder, "ptb.char.valid.txt"), ValPath = Path.Combine(folder, "ptb.char.test.txt"),
            Format = DataFormat.PtbChar,
        };

        var corpus = CorpusPreparer.Prepare(data, 1, null, null);

        // 50 characters (letters, digits, punctuation, space, newline) after the 4 special tokens
        Assert.Equal(54, corpus.Vocabulary.Count);
        Assert.Equal(393_042, corpus.Train.Ids.Length); // every character of the file: no tail held out
        Assert.Equal(442_423, corpus.Validation.Ids.Length);
        Assert.Equal("consumers may want to move their telephones a little closer to the tv set\n<unk>",
            string.Concat(corpus.Train.Ids.Take(79).Select(corpus.Vocabulary.Decode)));
    }
}

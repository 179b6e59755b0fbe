namespace RnnLab.Tests.Data;

public sealed class DocumentSplitterTests
{
    private static IReadOnlyList<string> Split(string text, DataConfig config) =>
        DocumentSplitter.Split(CorpusReader.Decode("c.txt", System.Text.Encoding.UTF8.GetBytes(text)), config);

    [Fact]
    public void OneDocumentPerNonEmptyLine()
    {
        Assert.Equal(new[] { "one", "two three" }, Split("one\n\n  \ntwo three\n", new DataConfig()));
    }

    [Fact]
    public void DelimiterLinesSeparateMultiLineDocuments()
    {
        var documents = Split("first line\nsecond line\n%\n\n%\nnext\n%\n", new DataConfig { Delimiter = "%" });

        Assert.Equal(new[] { "first line\nsecond line", "next" }, documents);
    }

    [Fact]
    public void CsvColumnGivesOneDocumentPerRow()
    {
        var documents = Split("date,text\n2020,\"hello, world\"\n2021,\"she said \"\"hi\"\"\"\n",
            new DataConfig { CsvColumn = "text" });

        Assert.Equal(new[] { "hello, world", "she said \"hi\"" }, documents);
    }

    [Fact]
    public void MissingCsvColumnListsTheColumns()
    {
        var config = new DataConfig { CsvColumn = "body" };

        var error = Assert.Throws<RnnLabException>(() => Split("date,text\n1,a\n", config));

        Assert.Equal("c.txt has no column 'body'; its columns are: 'date', 'text'", error.Message);
    }
}

using System.Text;

namespace RnnLab.Tests.Data;

public sealed class CorpusReaderTests
{
    [Fact]
    public void DropsByteOrderMarkAndNormalisesLineEnds()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("a\r\nb\rc\n")).ToArray();

        var text = CorpusReader.Decode("x.txt", bytes);

        Assert.Equal("a\nb\nc\n", text.Text);
        Assert.True(text.HadByteOrderMark);
        Assert.Equal(1, text.CrlfCount);
        Assert.Equal(1, text.LoneCrCount);
        Assert.Equal(
            "x.txt: dropped a UTF-8 byte-order mark; turned 1 CRLF line ends into LF; turned 1 lone CR into LF",
            text.NormalisationNote());
    }

    [Fact]
    public void CleanTextHasNoNote()
    {
        Assert.Null(CorpusReader.Decode("x.txt", "plain\n"u8.ToArray()).NormalisationNote());
    }

    [Fact]
    public void InvalidUtf8NamesTheByteOffset()
    {
        var bytes = "abc"u8.ToArray().Concat(new byte[] { 0xFF, 0x41 }).ToArray();

        var error = Assert.Throws<RnnLabException>(() => CorpusReader.Decode("bad.txt", bytes));

        Assert.StartsWith("bad.txt is not valid UTF-8: bad byte 0xFF at byte offset 3;", error.Message);
    }

    [Fact]
    public void NulByteMeansBinary()
    {
        var error = Assert.Throws<RnnLabException>(() => CorpusReader.Decode("f.bin", [0x41, 0x42, 0x00, 0x43]));

        Assert.Equal("f.bin looks like a binary file (NUL byte at byte offset 2); pass a UTF-8 text file",
            error.Message);
    }

    [SkippableFact]
    public void A_device_streaming_nul_bytes_is_refused_at_once()
    {
        Skip.IfNot(File.Exists("/dev/zero"), "no /dev/zero here");

        var error = Assert.Throws<RnnLabException>(() => CorpusReader.Read("/dev/zero"));

        Assert.Equal("/dev/zero looks like a binary file (NUL byte at byte offset 0); pass a UTF-8 text file",
            error.Message);
    }

    [Fact]
    public void A_file_over_two_gibibytes_is_refused_before_it_is_read()
    {
        using var dir = new TempDir();
        var path = dir.File("huge.txt");
        using (var file = File.Create(path))
        {
            file.SetLength(3L << 30); // sparse: no disk space is used
        }

        var error = Assert.Throws<RnnLabException>(() => CorpusReader.Read(path));

        Assert.Equal($"{path} is 3,072 MiB; files over 2 GiB cannot be read yet; split it", error.Message);
    }

    [Fact]
    public void EmptyFileIsRefused()
    {
        var error = Assert.Throws<RnnLabException>(() => CorpusReader.Decode("e.txt", []));

        Assert.Equal("e.txt is empty (0 bytes); pass a file with text in it", error.Message);
    }

    [Fact]
    public void MissingFileSaysSo()
    {
        var error = Assert.Throws<RnnLabException>(() => CorpusReader.Read("/no/such/file.txt"));

        Assert.Equal("data file not found: /no/such/file.txt; pass --data with an existing UTF-8 text file",
            error.Message);
    }

    [Fact]
    public void EmojiIsOneScalar()
    {
        Assert.Equal(new[] { 'a', 0x1F600, 'b' }, CorpusReader.Scalars("a😀b"));
    }
}

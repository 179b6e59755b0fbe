using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace RnnLab.Data;

/// <summary>Reads UTF-8 text files, refusing binary or mis-encoded ones with a message that says why.</summary>
public static class CorpusReader
{
    // more than this share of control characters (other than tab, newline, CR, form feed, backspace
    // and escape, which real text files use) means the file is not text
    private const double MaxControlShare = 0.01;

    /// <summary>A whole file as text (small files; stream-mode corpora go through TextScanner instead).</summary>
    public static CorpusText Read(string path)
    {
        return Decode(path, ReadBytes(path));
    }

    /// <summary>
    /// A file's bytes, with the errors a user can act on: not found, a folder, over the 2 GB an array
    /// holds, or a device or pipe that streams NUL bytes (/dev/zero) rather than text.
    /// </summary>
    /// <param name="folderHint">Added to the message for a folder: what to pass instead.</param>
    public static byte[] ReadBytes(string path, string folderHint = "pass a UTF-8 text file") =>
        CheckReadable(path, folderHint) > 0 ? File.ReadAllBytes(path) : ReadStream(path);

    /// <summary>
    /// The errors a user can act on before a file is read (not found, a folder, over the 2 GB an
    /// array holds); returns its length, 0 for a pipe or a device.
    /// </summary>
    public static long CheckReadable(string path, string folderHint = "pass a UTF-8 text file", string flag = "--data")
    {
        if (Directory.Exists(path))
        {
            throw new RnnLabException($"{path} is a folder; {folderHint}");
        }
        if (!File.Exists(path))
        {
            throw new RnnLabException($"data file not found: {path}; pass {flag} with an existing UTF-8 text file");
        }
        var length = new FileInfo(path).Length;
        if (length > Array.MaxLength)
        {
            // TODO: the ids of a corpus live in one .NET array (at most 2^31 of them); larger files
            // need chunked storage
            throw new RnnLabException(string.Create(CultureInfo.InvariantCulture,
                $"{path} is {length / (1L << 20):N0} MiB; files over 2 GiB cannot be read yet; split it"));
        }
        return length;
    }

    // a pipe or a device reports length 0: read it in chunks, and stop at once when the first chunk
    // holds NUL bytes (/dev/zero would otherwise fill memory before the binary check could run)
    private static byte[] ReadStream(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
        var bytes = new MemoryStream();
        var chunk = new byte[1 << 20];
        int read;
        while ((read = stream.Read(chunk)) > 0)
        {
            if (bytes.Length == 0 && Array.IndexOf(chunk, (byte)0, 0, read) is var nul and >= 0)
            {
                throw new RnnLabException(
                    $"{path} looks like a binary file (NUL byte at byte offset {nul}); pass a UTF-8 text file");
            }
            if (bytes.Length + read > Array.MaxLength)
            {
                throw new RnnLabException($"{path} gives more than 2 GiB; files that large cannot be read yet");
            }
            bytes.Write(chunk, 0, read);
        }
        return bytes.ToArray();
    }

    /// <summary>Decodes bytes that came from <paramref name="path"/> (used in messages only).</summary>
    public static CorpusText Decode(string path, byte[] bytes)
    {
        if (bytes.Length == 0)
        {
            throw new RnnLabException($"{path} is empty (0 bytes); pass a file with text in it");
        }
        var nul = Array.IndexOf(bytes, (byte)0);
        if (nul >= 0)
        {
            throw new RnnLabException(
                $"{path} looks like a binary file (NUL byte at byte offset {nul}); pass a UTF-8 text file");
        }
        var span = bytes.AsSpan();
        var hadBom = span.StartsWith("\uFEFF"u8);
        if (hadBom)
        {
            span = span[3..];
        }
        var chars = new char[span.Length];
        var status = Utf8.ToUtf16(span, chars, out var read, out var written, replaceInvalidSequences: false);
        if (status != OperationStatus.Done)
        {
            var offset = read + (hadBom ? 3 : 0);
            throw new RnnLabException(
                $"{path} is not valid UTF-8: bad byte 0x{bytes[offset]:X2} at byte offset {offset}; " +
                "convert it first (e.g. iconv -f latin1 -t utf-8 IN > OUT)");
        }
        var text = new string(chars, 0, written);
        RejectControlHeavy(path, text);
        var crlf = Count(text, "\r\n");
        var loneCr = text.AsSpan().Count('\r') - crlf;
        if (crlf + loneCr > 0)
        {
            text = text.Replace("\r\n", "\n").Replace('\r', '\n');
        }
        return new CorpusText(path, text, bytes.LongLength, hadBom, crlf, loneCr);
    }

    private static void RejectControlHeavy(string path, string text)
    {
        var controls = 0;
        foreach (var c in text)
        {
            if (c < 0x20 && c is not ('\t' or '\n' or '\r' or '\f' or '\b' or '\x1b'))
            {
                controls++;
            }
        }
        if (controls > MaxControlShare * text.Length)
        {
            throw new RnnLabException(
                $"{path} looks like a binary file ({controls} control characters in {text.Length}); " +
                "pass a UTF-8 text file");
        }
    }

    private static int Count(string text, string needle)
    {
        var count = 0;
        for (var i = text.IndexOf(needle, StringComparison.Ordinal); i >= 0;
             i = text.IndexOf(needle, i + needle.Length, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }

    /// <summary>The Unicode scalar values of <paramref name="text"/>, in order.</summary>
    public static int[] Scalars(string text)
    {
        var result = new int[text.Length];
        var n = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            result[n++] = rune.Value;
        }
        Array.Resize(ref result, n);
        return result;
    }
}

using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;

namespace RnnLab.Data;

/// <summary>
/// A text file read once, in fixed-size chunks, straight into packed provisional ids: each new
/// character gets the next id in order of first appearance, <see cref="ScannedText.Scalars"/> says which
/// character each one is. Memory is the packed ids plus one chunk, never the file, its UTF-16 text
/// or an int per character. Checks and normalises as <see cref="CorpusReader"/> does (UTF-8, no NUL
/// bytes, mostly printable, a byte-order mark dropped, CRLF and lone CR turned into LF) and hashes
/// the file's bytes on the way.
/// </summary>
internal sealed class TextScanner
{
    private const int ChunkBytes = 4 << 20;

    // more than this share of control characters (other than tab, newline, CR, form feed, backspace
    // and escape, which real text files use) means the file is not text
    private const double MaxControlShare = 0.01;

    private readonly string path;
    private readonly bool findLines;
    private readonly int[] provisional = new int[0x110000]; // scalar -> provisional id + 1 (0: unseen)
    private readonly List<int> scalars = [];
    private readonly List<(int Start, int Length)> lines = [];
    private byte[]? narrow;
    private short[]? middle;
    private int[]? wide;
    private int count;
    private int lineStart;
    private bool lineHasText;
    private bool afterCr;
    private long controls;
    private long utf16Length;
    private int crlf;
    private int loneCr;

    private TextScanner(string path, bool findLines, long fileBytes)
    {
        this.path = path;
        this.findLines = findLines;
        narrow = new byte[(int)Math.Clamp(fileBytes, 1 << 16, Array.MaxLength)];
    }

    /// <param name="findLines">Also note where each non-blank line lies (documents mode, one per line).</param>
    public static ScannedText Scan(string path, bool findLines, string folderHint)
    {
        var length = CorpusReader.CheckReadable(path, folderHint);
        var scanner = new TextScanner(path, findLines, length);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
        var buffer = new byte[ChunkBytes];
        var carried = 0; // the start of a character split by the chunk's end
        long offset = 0; // of buffer[0] in the file
        var hadBom = false;
        while (true)
        {
            var read = stream.Read(buffer, carried, buffer.Length - carried);
            hash.AppendData(buffer, carried, read);
            var filled = carried + read;
            var final = read == 0;
            if (offset == 0 && filled > 0 && carried == 0 && !hadBom && buffer.AsSpan(0, filled).StartsWith("\uFEFF"u8))
            {
                hadBom = true;
            }
            var nul = buffer.AsSpan(carried, read).IndexOf((byte)0);
            if (nul >= 0)
            {
                throw new RnnLabException(
                    $"{path} looks like a binary file (NUL byte at byte offset {offset + carried + nul}); " +
                    "pass a UTF-8 text file");
            }
            var from = offset == 0 && hadBom ? 3 : 0;
            var used = scanner.Decode(buffer.AsSpan(from, filled - from), offset + from, final) + from;
            if (final)
            {
                break;
            }
            carried = filled - used;
            buffer.AsSpan(used, carried).CopyTo(buffer);
            offset += used;
        }
        var fileBytes = offset + carried;
        if (fileBytes == 0)
        {
            throw new RnnLabException($"{path} is empty (0 bytes); pass a file with text in it");
        }
        return scanner.Finish(Convert.ToHexStringLower(hash.GetHashAndReset()), fileBytes, hadBom);
    }

    // decodes whole characters from bytes (at file offset `at`); returns how many bytes it used
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Decode(ReadOnlySpan<byte> bytes, long at, bool final)
    {
        var i = 0;
        while (i < bytes.Length)
        {
            int scalar;
            var b = bytes[i];
            if (b >= 0x20 && b < 0x80 && provisional[b] > 0 && count < Capacity)
            {
                // the common case, printable ASCII (or a space) already seen: no line end, control or
                // CR to handle
                if (afterCr)
                {
                    afterCr = false;
                    loneCr++;
                }
                if (narrow is not null)
                {
                    narrow[count++] = (byte)(provisional[b] - 1);
                }
                else if (middle is not null)
                {
                    middle[count++] = (short)(provisional[b] - 1);
                }
                else
                {
                    wide![count++] = provisional[b] - 1;
                }
                lineHasText |= b != ' ';
                utf16Length++;
                i++;
                continue;
            }
            if (b < 0x80)
            {
                scalar = b;
                i++;
            }
            else
            {
                var status = Rune.DecodeFromUtf8(bytes[i..], out var rune, out var consumed);
                if (status == System.Buffers.OperationStatus.NeedMoreData && !final)
                {
                    return i;
                }
                if (status != System.Buffers.OperationStatus.Done)
                {
                    throw new RnnLabException(
                        $"{path} is not valid UTF-8: bad byte 0x{b:X2} at byte offset {at + i}; " +
                        "convert it first (e.g. iconv -f latin1 -t utf-8 IN > OUT)");
                }
                scalar = rune.Value;
                i += consumed;
            }
            Add(scalar);
        }
        return i;
    }

    // called once per character outside the fast path: compiled optimised from the first call,
    // since a preparation is over before tiered compilation would promote it
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Add(int scalar)
    {
        utf16Length += scalar >= 0x10000 ? 2 : 1;
        if (scalar < 0x20 && scalar is not ('\t' or '\n' or '\r' or '\f' or '\b' or '\x1b'))
        {
            controls++;
        }
        // CRLF becomes LF, a lone CR becomes LF
        if (afterCr)
        {
            afterCr = false;
            if (scalar == '\n')
            {
                crlf++;
                return;
            }
            loneCr++;
        }
        if (scalar == '\r')
        {
            afterCr = true;
            scalar = '\n';
        }
        if (findLines)
        {
            if (scalar == '\n')
            {
                EndLine();
                lineStart = count + 1;
            }
            else if (!lineHasText && !Rune.IsWhiteSpace(new Rune(scalar)))
            {
                lineHasText = true;
            }
        }
        var id = provisional[scalar] - 1;
        if (id < 0)
        {
            id = scalars.Count;
            scalars.Add(scalar);
            provisional[scalar] = id + 1;
            // room for the 4 special ids above the provisional ones once they are renumbered
            if (narrow is not null && id + Vocabulary.Specials.Count >= 256
                || middle is not null && id + Vocabulary.Specials.Count >= 32768)
            {
                Widen();
            }
        }
        if (count == Capacity)
        {
            Grow();
        }
        if (narrow is not null)
        {
            narrow[count++] = (byte)id;
        }
        else if (middle is not null)
        {
            middle[count++] = (short)id;
        }
        else
        {
            wide![count++] = id;
        }
    }

    private int Capacity => narrow?.Length ?? middle?.Length ?? wide!.Length;

    private void EndLine()
    {
        if (lineHasText)
        {
            lines.Add((lineStart, count - lineStart));
        }
        lineHasText = false;
    }

    // a pipe or device gives no length up front: the ids double as they need (up to an array's limit)
    private void Grow()
    {
        if (count >= Array.MaxLength)
        {
            throw new RnnLabException($"{path} gives more than {Array.MaxLength:N0} characters; files that large " +
                "cannot be read yet; split it");
        }
        var size = (int)Math.Min((long)Capacity * 2, Array.MaxLength);
        if (narrow is not null)
        {
            Array.Resize(ref narrow, size);
        }
        else if (middle is not null)
        {
            Array.Resize(ref middle, size);
        }
        else
        {
            Array.Resize(ref wide, size);
        }
    }

    // more distinct characters than the storage holds: copy what was read into the next width
    private void Widen()
    {
        if (narrow is not null)
        {
            middle = new short[narrow.Length];
            for (var i = 0; i < count; i++)
            {
                middle[i] = narrow[i];
            }
            narrow = null;
        }
        else
        {
            wide = new int[middle!.Length];
            for (var i = 0; i < count; i++)
            {
                wide[i] = middle[i];
            }
            middle = null;
        }
    }

    private ScannedText Finish(string dataHash, long fileBytes, bool hadBom)
    {
        if (afterCr)
        {
            loneCr++;
        }
        if (findLines)
        {
            EndLine();
        }
        if (controls > MaxControlShare * utf16Length)
        {
            throw new RnnLabException(
                $"{path} looks like a binary file ({controls} control characters in {utf16Length}); " +
                "pass a UTF-8 text file");
        }
        Array store = narrow is not null ? narrow : middle is not null ? middle : wide!;
        return new ScannedText(PackedIds.Over(store, count), scalars.ToArray(), lines, dataHash,
            new CorpusText(path, "", fileBytes, hadBom, crlf, loneCr));
    }
}

/// <summary>What <see cref="TextScanner"/> read.</summary>
/// <param name="Ids">Provisional ids, in text order (line ends included).</param>
/// <param name="Scalars">The character (Unicode scalar value) of each provisional id.</param>
/// <param name="Lines">The lines holding more than white space, as [start, start + length) of the ids.</param>
/// <param name="Summary">The file's size and what normalisation did (its text is not kept).</param>
internal sealed record ScannedText(
    PackedIds Ids,
    int[] Scalars,
    IReadOnlyList<(int Start, int Length)> Lines,
    string DataHash,
    CorpusText Summary)
{
    /// <summary>How often each provisional id occurs in [start, start + length).</summary>
    public long[] Counts(int start, int length, long[]? into = null)
    {
        var counts = into ?? new long[Scalars.Length];
        Ids.Slice(start, length).CountInto(counts);
        return counts;
    }

    /// <summary>The vocabulary of the characters counted at least <paramref name="minCount"/> times.</summary>
    public Vocabulary Vocabulary(long[] counts, int minCount) =>
        Data.Vocabulary.FromScalars(Scalars.Where((_, id) => counts[id] > 0 && counts[id] >= minCount));

    /// <summary>Each provisional id's id in <paramref name="vocabulary"/> (&lt;unk&gt; for what it lacks).</summary>
    public int[] Renumbering(Vocabulary vocabulary) => Scalars.Select(vocabulary.Encode).ToArray();
}

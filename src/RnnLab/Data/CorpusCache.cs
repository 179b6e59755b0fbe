using System.Runtime.InteropServices;
using System.Security.Cryptography;
using RnnLab.Tracking;

namespace RnnLab.Data;

/// <summary>
/// One prepared corpus per file: the length of a header (magic string, vocabulary, data hash, note,
/// id width, each split's length and document offsets), the header, the packed ids of both splits,
/// and a SHA-256 of everything before it. Written and read in pieces, so a corpus of any size costs
/// its ids' memory once. A file that fails the check is ignored and rebuilt, never trusted.
/// </summary>
internal static class CorpusCache
{
    private const string Magic = "RNNLAB-CORPUS-2";

    public static PreparedCorpus? TryLoad(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            void Fill(Span<byte> into)
            {
                stream.ReadExactly(into);
                hash.AppendData(into);
            }
            Span<byte> size = stackalloc byte[4];
            Fill(size);
            var headerLength = BitConverter.ToInt32(size);
            if (headerLength <= 0 || headerLength > stream.Length - 4 - 32)
            {
                return null;
            }
            var header = new byte[headerLength];
            Fill(header);
            using var reader = new BinaryReader(new MemoryStream(header));
            if (reader.ReadString() != Magic)
            {
                return null;
            }
            var vocabulary = Vocabulary.FromJson(reader.ReadString(), path);
            var dataHash = reader.ReadString();
            var note = reader.ReadBoolean() ? reader.ReadString() : null;
            var width = reader.ReadInt32();
            var (trainLength, trainOffsets) = (reader.ReadInt32(), ReadInts(reader));
            var (validationLength, validationOffsets) = (reader.ReadInt32(), ReadInts(reader));
            if (width is not (1 or 2 or 4) || trainLength < 0 || validationLength < 0
                || stream.Length != 4 + headerLength + ((long)trainLength + validationLength) * width + 32)
            {
                return null;
            }
            var train = PackedIds.Allocate(trainLength, width);
            var validation = PackedIds.Allocate(validationLength, width);
            Fill(train.WritableBytes);
            Fill(validation.WritableBytes);
            Span<byte> recorded = stackalloc byte[32];
            stream.ReadExactly(recorded);
            if (!hash.GetHashAndReset().AsSpan().SequenceEqual(recorded))
            {
                return null;
            }
            return new PreparedCorpus(vocabulary, new EncodedSplit(train, trainOffsets),
                new EncodedSplit(validation, validationOffsets), dataHash, note);
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or RnnLabException
                                      or ArgumentException or OutOfMemoryException)
        {
            return null;
        }
    }

    public static void Save(string path, PreparedCorpus corpus)
    {
        try
        {
            // both splits are stored at the wider of their two widths
            var width = Math.Max(corpus.Train.Ids.Width, corpus.Validation.Ids.Width);
            var header = new MemoryStream();
            using (var writer = new BinaryWriter(header, System.Text.Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(Magic);
                writer.Write(corpus.Vocabulary.ToJson());
                writer.Write(corpus.DataHash);
                writer.Write(corpus.Note is not null);
                if (corpus.Note is not null)
                {
                    writer.Write(corpus.Note);
                }
                writer.Write(width);
                foreach (var split in new[] { corpus.Train, corpus.Validation })
                {
                    writer.Write(split.Ids.Length);
                    writer.Write(split.Offsets.Length);
                    writer.Write(MemoryMarshal.AsBytes(split.Offsets.AsSpan()));
                }
            }
            AtomicFile.Write(path, stream =>
            {
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                void Put(ReadOnlySpan<byte> bytes)
                {
                    stream.Write(bytes);
                    hash.AppendData(bytes);
                }
                Put(BitConverter.GetBytes((int)header.Length));
                Put(header.GetBuffer().AsSpan(0, (int)header.Length));
                foreach (var split in new[] { corpus.Train, corpus.Validation })
                {
                    if (split.Ids.Width == width)
                    {
                        Put(split.Ids.Bytes);
                    }
                    else
                    {
                        Put(PackedIds.From(split.Ids.ToArray(), width == 2 ? 32768 : int.MaxValue).Bytes);
                    }
                }
                stream.Write(hash.GetHashAndReset());
            });
        }
        catch (IOException)
        {
            // NOTE: a cache that cannot be written (read-only home, full disk) only costs speed
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static int[] ReadInts(BinaryReader reader)
    {
        var length = reader.ReadInt32();
        if (length < 0 || length > reader.BaseStream.Length / sizeof(int))
        {
            throw new EndOfStreamException();
        }
        var result = new int[length];
        var read = reader.Read(MemoryMarshal.AsBytes(result.AsSpan()));
        return read == length * sizeof(int) ? result : throw new EndOfStreamException();
    }
}

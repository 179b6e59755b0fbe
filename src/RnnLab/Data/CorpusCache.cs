using System.Runtime.InteropServices;
using System.Security.Cryptography;
using RnnLab.Tracking;

namespace RnnLab.Data;

/// <summary>
/// One prepared corpus per file: a magic string, the vocabulary, the four id arrays, and a SHA-256
/// of everything before it. A file that fails the check is ignored and rebuilt, never trusted.
/// </summary>
internal static class CorpusCache
{
    private const string Magic = "RNNLAB-CORPUS-1";

    public static PreparedCorpus? TryLoad(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            var bytes = File.ReadAllBytes(path);
            if (bytes.Length < 32)
            {
                return null;
            }
            var body = bytes.AsSpan(0, bytes.Length - 32);
            if (!SHA256.HashData(body).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - 32)))
            {
                return null;
            }
            using var reader = new BinaryReader(new MemoryStream(bytes, 0, body.Length));
            if (reader.ReadString() != Magic)
            {
                return null;
            }
            var vocabulary = Vocabulary.FromJson(reader.ReadString(), path);
            var hash = reader.ReadString();
            var note = reader.ReadBoolean() ? reader.ReadString() : null;
            var train = new EncodedSplit(ReadInts(reader), ReadInts(reader));
            var validation = new EncodedSplit(ReadInts(reader), ReadInts(reader));
            return new PreparedCorpus(vocabulary, train, validation, hash, note);
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or RnnLabException)
        {
            return null;
        }
    }

    public static void Save(string path, PreparedCorpus corpus)
    {
        try
        {
            var stream = new MemoryStream();
            using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(Magic);
                writer.Write(corpus.Vocabulary.ToJson());
                writer.Write(corpus.DataHash);
                writer.Write(corpus.Note is not null);
                if (corpus.Note is not null)
                {
                    writer.Write(corpus.Note);
                }
                foreach (var array in new[] { corpus.Train.Ids, corpus.Train.Offsets, corpus.Validation.Ids,
                             corpus.Validation.Offsets })
                {
                    writer.Write(array.Length);
                    writer.Write(MemoryMarshal.AsBytes(array.AsSpan()));
                }
            }
            stream.Write(SHA256.HashData(stream.GetBuffer().AsSpan(0, (int)stream.Length)));
            AtomicFile.Write(path, stream.GetBuffer().AsSpan(0, (int)stream.Length));
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
        var result = new int[length];
        var read = reader.Read(MemoryMarshal.AsBytes(result.AsSpan()));
        return read == length * sizeof(int) ? result : throw new EndOfStreamException();
    }
}

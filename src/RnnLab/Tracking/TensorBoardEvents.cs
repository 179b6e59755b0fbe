using System.Buffers.Binary;
using Google.Protobuf;
using Tensorboard;

namespace RnnLab.Tracking;

/// <summary>
/// The TensorBoard event files of <c>--tensorboard</c>: TFRecord files, one Event protobuf a record,
/// each framed (little-endian) as
/// <code>
///   u64 length | u32 masked CRC-32C of those 8 bytes | data | u32 masked CRC-32C of the data
/// </code>
/// TorchSharp's SummaryWriter writes them; they are read here to roll a resumed run back to its
/// checkpoint, as its metrics.jsonl is.
/// </summary>
public static class TensorBoardEvents
{
    /// <summary>The folder inside a run, the one to point <c>tensorboard --logdir</c> at (or its parent).</summary>
    public const string Folder = "tensorboard";

    private const string FilePrefix = "events.out.tfevents.";

    /// <summary>The event files of a run folder, oldest first (their names start with the time in ticks).</summary>
    public static IReadOnlyList<string> Files(string runFolder)
    {
        var folder = Path.Combine(runFolder, Folder);
        return Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, FilePrefix + "*").Order(StringComparer.Ordinal).ToList()
            : [];
    }

    /// <summary>The events of one file in order, and whether it ends cleanly (no record torn by a kill).</summary>
    public static (IReadOnlyList<Event> Events, bool Whole) Read(string path)
    {
        var bytes = File.ReadAllBytes(path).AsSpan();
        var events = new List<Event>();
        while (bytes.Length > 0)
        {
            if (bytes.Length < 12 || MaskedCrc(bytes[..8]) != BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]))
            {
                return (events, false);
            }
            var length = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
            if (length > (ulong)(bytes.Length - 16))
            {
                return (events, false);
            }
            var data = bytes.Slice(12, (int)length);
            if (MaskedCrc(data) != BinaryPrimitives.ReadUInt32LittleEndian(bytes[(12 + (int)length)..]))
            {
                return (events, false);
            }
            try
            {
                events.Add(Event.Parser.ParseFrom(data.ToArray())); // the span overload needs newer generated code
            }
            catch (InvalidProtocolBufferException)
            {
                return (events, false);
            }
            bytes = bytes[(16 + (int)length)..];
        }
        return (events, true);
    }

    /// <summary>
    /// Drops the events recorded after <paramref name="step"/> (by a run killed before its next
    /// checkpoint) and any torn last record from each event file, so the resumed run's new file
    /// carries on from the checkpoint without two values for one step.
    /// </summary>
    public static void RollBack(string runFolder, long step)
    {
        foreach (var file in Files(runFolder))
        {
            var (events, whole) = Read(file);
            if (whole && events.All(e => e.Step <= step))
            {
                continue;
            }
            AtomicFile.Write(file, stream =>
            {
                foreach (var kept in events.Where(e => e.Step <= step))
                {
                    WriteRecord(stream, kept.ToByteArray());
                }
            });
        }
    }

    private static void WriteRecord(Stream stream, byte[] data)
    {
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)data.LongLength);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], MaskedCrc(header[..8]));
        Span<byte> footer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(footer, MaskedCrc(data));
        stream.Write(header);
        stream.Write(data);
        stream.Write(footer);
    }

    // TFRecord's mask: rotate right by 15 bits and add a constant, so a CRC of CRCs stays strong
    private static uint MaskedCrc(ReadOnlySpan<byte> data)
    {
        var crc = TorchSharp.Utils.CRC32C.process(data.ToArray());
        return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
    }
}

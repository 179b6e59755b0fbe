using Tensorboard;

namespace RnnLab.Tests.Support;

/// <summary>
/// Reads TensorBoard event files on its own, not with the code under test: TFRecord framing (u64
/// length, u32 masked CRC-32C of it, data, u32 masked CRC-32C of the data), each CRC checked, each
/// record parsed as TorchSharp's generated Event protobuf.
/// </summary>
public static class EventFiles
{
    private static readonly uint[] Table = Enumerable.Range(0, 256).Select(n =>
    {
        var c = (uint)n;
        for (var k = 0; k < 8; k++)
        {
            c = (c & 1) != 0 ? 0x82F63B78u ^ (c >> 1) : c >> 1; // Castagnoli, reflected
        }
        return c;
    }).ToArray();

    public static List<Event> Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var events = new List<Event>();
        for (var at = 0; at < bytes.Length;)
        {
            var length = (int)BitConverter.ToUInt64(bytes, at);
            Assert.Equal(Masked(bytes.AsSpan(at, 8)), BitConverter.ToUInt32(bytes, at + 8));
            var data = bytes.AsSpan(at + 12, length);
            Assert.Equal(Masked(data), BitConverter.ToUInt32(bytes, at + 12 + length));
            events.Add(Event.Parser.ParseFrom(data.ToArray())); // the span overload needs newer generated code
            at += 16 + length;
        }
        return events;
    }

    /// <summary>Every scalar in a file, as (tag, step, value).</summary>
    public static List<(string Tag, long Step, float Value)> Scalars(string path) =>
        Read(path).Where(e => e.Summary is not null)
            .SelectMany(e => e.Summary.Value.Select(v => (v.Tag, e.Step, v.SimpleValue)))
            .ToList();

    private static uint Masked(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }
        crc ^= 0xFFFFFFFFu;
        return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RnnLab.Data;

/// <summary>
/// Ids stored as narrowly as their range allows: one byte each below 256, two below 32,768, else
/// four. A 1 GB corpus with a byte-sized vocabulary is 1 GB here, not the 4 GB of an int array or
/// the 8 GB of the int64 tensor the embedding takes; windows are widened one at a time.
/// Slices share their parent's storage.
/// </summary>
public sealed class PackedIds : IReadOnlyList<int>
{
    private readonly Array store; // byte[], short[] or int[]
    private readonly int start;

    private PackedIds(Array store, int start, int length)
    {
        this.store = store;
        this.start = start;
        Length = length;
    }

    public int Length { get; }

    int IReadOnlyCollection<int>.Count => Length;

    public IEnumerator<int> GetEnumerator()
    {
        for (var i = 0; i < Length; i++)
        {
            yield return this[i];
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Bytes per id: 1, 2 or 4.</summary>
    public int Width => store switch
    {
        byte[] => 1,
        short[] => 2,
        _ => 4,
    };

    public int this[int index] => store switch
    {
        byte[] b => b[start + index],
        short[] s => s[start + index],
        _ => ((int[])store)[start + index],
    };

    /// <summary>The narrowest storage for ids in [0, <paramref name="limit"/>).</summary>
    public static int WidthFor(int limit) => limit <= 256 ? 1 : limit <= 32768 ? 2 : 4;

    /// <summary>
    /// Copies <paramref name="ids"/> into storage wide enough for every id below <paramref name="limit"/>.
    /// </summary>
    public static PackedIds From(ReadOnlySpan<int> ids, int limit)
    {
        var packed = Allocate(ids.Length, WidthFor(limit));
        for (var i = 0; i < ids.Length; i++)
        {
            packed.Set(i, ids[i]);
        }
        return packed;
    }

    /// <summary>
    /// The first <paramref name="length"/> ids of <paramref name="store"/> (byte[], short[] or int[]).
    /// </summary>
    internal static PackedIds Over(Array store, int length) => store is byte[] or short[] or int[]
        ? new PackedIds(store, 0, length)
        : throw new ArgumentException("byte[], short[] or int[]", nameof(store));

    /// <summary>
    /// Renumbers every id through <paramref name="map"/>, in place when the new ids fit this width;
    /// otherwise into new, wider storage, which is returned.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal PackedIds Renumber(int[] map)
    {
        var width = map.Length == 0 ? 1 : WidthFor(map.Max() + 1);
        var target = width <= Width ? this : Allocate(Length, width);
        if (store is byte[] b && target.store is byte[] into)
        {
            // a byte table: no bounds or type checks in the loop over a large corpus
            Span<byte> table = stackalloc byte[256];
            for (var i = 0; i < map.Length; i++)
            {
                table[i] = (byte)map[i];
            }
            var source = b.AsSpan(start, Length);
            var destination = into.AsSpan(target.start, Length);
            for (var i = 0; i < source.Length; i++)
            {
                destination[i] = table[source[i]];
            }
            return target;
        }
        target.SetMapped(0, this, map);
        return target;
    }

    /// <summary>Zeroed storage for <paramref name="length"/> ids of <paramref name="width"/> bytes.</summary>
    public static PackedIds Allocate(int length, int width) => new(width switch
    {
        1 => new byte[length],
        2 => new short[length],
        4 => new int[length],
        _ => throw new ArgumentOutOfRangeException(nameof(width), width, "1, 2 or 4"),
    }, 0, length);

    /// <summary>The ids in [from, from + length), sharing this storage.</summary>
    public PackedIds Slice(int from, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(from);
        ArgumentOutOfRangeException.ThrowIfGreaterThan((long)from + length, Length);
        return new PackedIds(store, start + from, length);
    }

    internal void Set(int index, int id)
    {
        switch (store)
        {
            case byte[] b:
                b[start + index] = (byte)id;
                break;
            case short[] s:
                s[start + index] = (short)id;
                break;
            default:
                ((int[])store)[start + index] = id;
                break;
        }
    }

    public void CopyTo(int from, Span<int> destination)
    {
        switch (store)
        {
            case byte[] b:
                Widen(b.AsSpan(start + from, destination.Length), destination);
                break;
            case short[] s:
                Widen(s.AsSpan(start + from, destination.Length), destination);
                break;
            default:
                ((int[])store).AsSpan(start + from, destination.Length).CopyTo(destination);
                break;
        }
    }

    public int[] ToArray()
    {
        var ids = new int[Length];
        CopyTo(0, ids);
        return ids;
    }

    /// <summary>Adds one to <paramref name="counts"/>[id] for every id.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void CountInto(long[] counts)
    {
        switch (store)
        {
            case byte[] b:
                foreach (var id in b.AsSpan(start, Length))
                {
                    counts[id]++;
                }
                break;
            case short[] s:
                foreach (var id in s.AsSpan(start, Length))
                {
                    counts[id]++;
                }
                break;
            default:
                foreach (var id in ((int[])store).AsSpan(start, Length))
                {
                    counts[id]++;
                }
                break;
        }
    }

    /// <summary>Writes map[id] of each of <paramref name="source"/>'s ids from <paramref name="at"/> on.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void SetMapped(int at, PackedIds source, int[] map)
    {
        var length = source.Length;
        // typed loops for the storage pairs a corpus uses; the indexers otherwise
        switch (source.store, store)
        {
            case (byte[] from, byte[] to):
                Map(from.AsSpan(source.start, length), to.AsSpan(start + at, length), map);
                break;
            case (short[] from, short[] to):
                Map(from.AsSpan(source.start, length), to.AsSpan(start + at, length), map);
                break;
            case (byte[] from, short[] to):
                Map(from.AsSpan(source.start, length), to.AsSpan(start + at, length), map);
                break;
            default:
                for (var i = 0; i < length; i++)
                {
                    Set(at + i, map[source[i]]);
                }
                break;
        }
    }

    private static void Map(ReadOnlySpan<byte> from, Span<byte> to, int[] map)
    {
        for (var i = 0; i < from.Length; i++)
        {
            to[i] = (byte)map[from[i]];
        }
    }

    private static void Map(ReadOnlySpan<short> from, Span<short> to, int[] map)
    {
        for (var i = 0; i < from.Length; i++)
        {
            to[i] = (short)map[from[i]];
        }
    }

    private static void Map(ReadOnlySpan<byte> from, Span<short> to, int[] map)
    {
        for (var i = 0; i < from.Length; i++)
        {
            to[i] = (short)map[from[i]];
        }
    }

    /// <summary>How many times <paramref name="id"/> occurs.</summary>
    public long Count(int id) => store switch
    {
        byte[] b => id is >= 0 and < 256 ? b.AsSpan(start, Length).Count((byte)id) : 0,
        short[] s => id is >= 0 and < 32768 ? s.AsSpan(start, Length).Count((short)id) : 0,
        _ => ((int[])store).AsSpan(start, Length).Count(id),
    };

    /// <summary>The raw bytes (for the corpus cache): <see cref="Length"/> x <see cref="Width"/> of them.</summary>
    internal ReadOnlySpan<byte> Bytes => store switch
    {
        byte[] b => b.AsSpan(start, Length),
        short[] s => MemoryMarshal.AsBytes(s.AsSpan(start, Length)),
        _ => MemoryMarshal.AsBytes(((int[])store).AsSpan(start, Length)),
    };

    /// <summary>Writable raw bytes, for reading a cache file straight into place.</summary>
    internal Span<byte> WritableBytes => store switch
    {
        byte[] b => b.AsSpan(start, Length),
        short[] s => MemoryMarshal.AsBytes(s.AsSpan(start, Length)),
        _ => MemoryMarshal.AsBytes(((int[])store).AsSpan(start, Length)),
    };

    /// <summary>
    /// A 1-D CPU tensor (uint8, int16 or int32) over the same memory, no copy: the storage stays
    /// pinned while the tensor lives. Widen windows with <c>to(int64)</c> as they are used.
    /// </summary>
    public Tensor ToTensor()
    {
        var dtype = store switch
        {
            byte[] => ScalarType.Byte,
            short[] => ScalarType.Int16,
            _ => ScalarType.Int32,
        };
        return Length == 0
            ? torch.empty(0, dtype)
            : torch.frombuffer(store, dtype, Length, start);
    }

    private static void Widen(ReadOnlySpan<byte> source, Span<int> destination)
    {
        for (var i = 0; i < source.Length; i++)
        {
            destination[i] = source[i];
        }
    }

    private static void Widen(ReadOnlySpan<short> source, Span<int> destination)
    {
        for (var i = 0; i < source.Length; i++)
        {
            destination[i] = source[i];
        }
    }
}

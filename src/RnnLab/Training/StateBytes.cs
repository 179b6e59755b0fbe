using RnnLab.Models;

namespace RnnLab.Training;

/// <summary>Model, optimizer, RNG and hidden state to bytes and back, for checkpoints and snapshots.</summary>
internal static class StateBytes
{
    public static byte[] Model(nn.Module model) => Write(writer => model.save(writer));

    public static void LoadModel(nn.Module model, byte[] bytes) => Read(bytes, reader => model.load(reader));

    /// <summary>
    /// Loads a checkpoint's weights, strictly; bytes that do not fit the model are an error naming
    /// <paramref name="path"/>. TorchSharp's reader signals them with many exception types (format,
    /// argument, end of stream, overflow, native errors), so all but running out of memory count.
    /// </summary>
    public static void LoadCheckpointWeights(nn.Module model, byte[] bytes, string path)
    {
        try
        {
            Read(bytes, reader => model.load(reader, strict: true));
        }
        catch (Exception e) when (e is not (OutOfMemoryException or RnnLabException))
        {
            throw new RnnLabException($"{path}: the weights do not match the model config ({e.Message})");
        }
    }

    public static byte[] Optimizer(OptimizerHelper optimizer) => Write(optimizer.save_state_dict);

    public static void LoadOptimizer(OptimizerHelper optimizer, byte[] bytes) =>
        Read(bytes, optimizer.load_state_dict);

    public static byte[] Rng()
    {
        using var state = torch.random.get_rng_state();
        return state.data<byte>().ToArray();
    }

    public static void SetRng(byte[] bytes)
    {
        using var state = torch.tensor(bytes);
        torch.random.set_rng_state(state);
    }

    public static byte[] Hidden(RecurrentState? state) => Write(writer =>
    {
        var tensors = state?.Tensors().ToArray() ?? [];
        writer.Write(tensors.Length);
        foreach (var tensor in tensors)
        {
            tensor.Save(writer);
        }
    });

    public static RecurrentState? LoadHidden(byte[] bytes, Device device)
    {
        RecurrentState? state = null;
        Read(bytes, reader =>
        {
            var count = reader.ReadInt32();
            var tensors = Enumerable.Range(0, count)
                .Select(_ => TensorExtensionMethods.Load(reader).to(device).DetachFromDisposeScope())
                .ToArray();
            state = count == 0 ? null : new RecurrentState(tensors[0], count > 1 ? tensors[1] : null);
        });
        return state;
    }

    private static byte[] Write(Action<BinaryWriter> write)
    {
        var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            write(writer);
        }
        return stream.ToArray();
    }

    private static void Read(byte[] bytes, Action<BinaryReader> read)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes));
        read(reader);
    }
}

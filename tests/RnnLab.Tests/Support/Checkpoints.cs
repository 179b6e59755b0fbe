using RnnLab.Checkpoints;

namespace RnnLab.Tests.Support;

/// <summary>Checkpoints of untrained models with seeded weights, without running a trainer.</summary>
public static class TestCheckpoints
{
    public static readonly Vocabulary Vocabulary = Vocabulary.FromCharacters(
        "\n !',.:;?ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyzé".Select(c => c.ToString()));

    /// <summary>Writes a checkpoint of a model with <paramref name="model"/>'s shape and seeded weights.</summary>
    public static string Write(string path, ModelConfig model, IReadOnlyList<string>? classes = null, int seed = 7)
    {
        torch.manual_seed(seed);
        using var network = new CharRnn(model, Vocabulary.Count, classes?.Count ?? 0);
        var manifest = new CheckpointManifest
        {
            Config = new RunConfig { Name = "test", Data = new DataConfig { Path = "test.txt" }, Model = model,
                Train = new TrainConfig { Steps = 1 } },
            Vocabulary = Vocabulary.Characters,
            Classes = classes,
        };
        Checkpoint.Save(path, manifest, new Dictionary<string, byte[]> { ["model.bin"] = ModelBytes(network) });
        return path;
    }

    /// <summary>A module's state in the bytes of a checkpoint's model.bin entry.</summary>
    public static byte[] ModelBytes(nn.Module model)
    {
        var bytes = new MemoryStream();
        using (var writer = new BinaryWriter(bytes))
        {
            model.save(writer);
        }
        return bytes.ToArray();
    }
}

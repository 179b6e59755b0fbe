using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using RnnLab.Checkpoints;
using RnnLab.Interop;
using RnnLab.Tracking;
using Xunit.Abstractions;

namespace RnnLab.Tests.Fuzz;

/// <summary>
/// Everything that reads a user's file, fed mutated and random inputs: each input is either read
/// or refused with an <see cref="RnnLabException"/>; any other exception, or a read that does not
/// finish, fails the test (CsCheck then shrinks the input and prints it with its seed).
/// </summary>
public sealed class ReaderFuzzTests(ITestOutputHelper output) : IDisposable
{
    // 2,000 inputs per reader in CI; set RNNLAB_FUZZ_ITERATIONS for a longer soak
    private static readonly long Iterations =
        long.TryParse(Environment.GetEnvironmentVariable("RNNLAB_FUZZ_ITERATIONS"), out var n) && n > 0 ? n : 2_000;

    private static readonly ModelConfig Small = new() { Cell = CellKind.Lstm, Layers = 2, Hidden = 6, Embedding = 4 };

    private readonly TempDir temp = new();

    [Fact]
    public void Corpus_files()
    {
        var text = Corpora.ShakespeareSlice(3_000) + "\r\ncafé ☃ 😀 naïve\n\n";
        var original = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(text)).ToArray();
        var path = temp.File("corpus.txt");
        Fuzz("corpus files", Mutation.Gen, mutations =>
        {
            File.WriteAllBytes(path, Mutation.Apply(original, mutations));
            var mode = mutations.Length % 2 == 0 ? CorpusMode.Stream : CorpusMode.Documents;
            CorpusPreparer.Prepare(new DataConfig { Path = path, Mode = mode, Bptt = 8, BatchSize = 2 }, 1, null, null);
        });
    }

    [Fact]
    public void Run_config_json()
    {
        var original = new RunConfig
        {
            Name = "fuzz",
            Data = new DataConfig { Path = "corpus.txt" },
            Train = new TrainConfig { Steps = 10 },
        }.ToJson();
        FuzzJson("run configs", original, json => RunConfig.FromJson(json, "config.json").Validate());
    }

    [Fact]
    public void Vocabulary_json()
    {
        var original = TestCheckpoints.Vocabulary.ToJson();
        FuzzJson("vocabularies", original, json => Vocabulary.FromJson(json, "vocab.json"));
    }

    [Fact]
    public void Checkpoint_files()
    {
        var original = File.ReadAllBytes(TestCheckpoints.Write(temp.File("original.ckpt"), Small));
        var path = temp.File("mutated.ckpt");
        Fuzz("checkpoint files", Mutation.Gen, mutations =>
        {
            File.WriteAllBytes(path, Mutation.Apply(original, mutations));
            LoadAndBuild(path);
        });
    }

    [Fact]
    public void Checkpoint_manifests_and_weights_with_valid_hashes()
    {
        // past the checksums: the manifest's values and the weight bytes themselves
        var entries = ReadZip(TestCheckpoints.Write(temp.File("original.ckpt"), Small));
        var manifest = Encoding.UTF8.GetString(entries["manifest.json"]);
        var weights = entries["model.bin"];
        var path = temp.File("mutated.ckpt");
        var gen = Gen.Select(Gen.Bool, Mutation.JsonGen, Mutation.Gen);
        Fuzz("checkpoint manifests and weights", gen, input =>
        {
            var (editManifest, edits, mutations) = input;
            var bytes = editManifest ? weights : Mutation.Apply(weights, mutations);
            var json = JsonNode.Parse(manifest)!;
            json["entries"]!["model.bin"] = Convert.ToHexStringLower(SHA256.HashData(bytes));
            var text = editManifest ? Mutation.ApplyJson(json.ToJsonString(), edits) : json.ToJsonString();
            WriteZip(path, new() { ["manifest.json"] = Encoding.UTF8.GetBytes(text), ["model.bin"] = bytes });
            LoadAndBuild(path);
        });
    }

    [Fact]
    public void Import_folders()
    {
        var checkpoint = Checkpoint.Load(TestCheckpoints.Write(temp.File("original.ckpt"), Small));
        foreach (var format in Enum.GetValues<ExportFormat>())
        {
            Exporter.Export(checkpoint, format, temp.File($"export-{format}"));
        }
        var gen = Gen.Select(Gen.Int[0, 3], Mutation.JsonGen, Mutation.Gen);
        Fuzz("import folders", gen, input =>
        {
            var (target, edits, mutations) = input;
            var source = temp.File($"export-{(target == 3 ? ExportFormat.Safetensors : ExportFormat.Pytorch)}");
            var folder = temp.File("import");
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
            Directory.CreateDirectory(folder);
            foreach (var copy in Directory.EnumerateFiles(source))
            {
                File.Copy(copy, Path.Combine(folder, Path.GetFileName(copy)));
            }
            var name = target switch
            {
                0 => "config.json",
                1 => "vocab.json",
                2 => "model.pt",
                _ => "model.safetensors",
            };
            var file = Path.Combine(folder, name);
            if (name.EndsWith(".json", StringComparison.Ordinal))
            {
                File.WriteAllText(file, Mutation.ApplyJson(File.ReadAllText(file), edits));
            }
            else
            {
                File.WriteAllBytes(file, Mutation.Apply(File.ReadAllBytes(file), mutations));
            }
            Importer.Read(folder).Dispose();
        });
    }

    [Fact]
    public void Run_folders_read_by_the_registry()
    {
        // one of a run's three files mutated per input; the run is indexed all the same, never thrown on
        var root = temp.File("runs");
        var original = HandMadeRuns.Write(root, "original", valLosses: [1.5, 1.25]);
        var folder = Path.Combine(root, "mutated");
        Directory.CreateDirectory(folder);
        string[] files = ["config.json", "metrics.jsonl", RunStatus.FileName];
        using var registry = RunRegistry.Open(root);
        var gen = Gen.Select(Gen.Int[0, 2], Gen.Bool, Mutation.JsonGen, Mutation.Gen);
        Fuzz("run folders in the registry", gen, input =>
        {
            var (target, structured, edits, mutations) = input;
            foreach (var name in files)
            {
                File.Copy(Path.Combine(original, name), Path.Combine(folder, name), overwrite: true);
            }
            var file = Path.Combine(folder, files[target]);
            var text = File.ReadAllText(file);

            // metrics.jsonl is one JSON document a line: structured edits go into its second line
            File.WriteAllBytes(file, !structured ? Mutation.Apply(Encoding.UTF8.GetBytes(text), mutations)
                : Encoding.UTF8.GetBytes(target != 1 ? Mutation.ApplyJson(text, edits)
                    : string.Join('\n', text.Split('\n').Select((l, i) => i == 1 ? Mutation.ApplyJson(l, edits) : l))));
            registry.Record(folder);
            Assert.Equal("mutated", Assert.Single(registry.List(new RunQuery { Sort = "val_bpc" })).Path);
        });
    }

    public void Dispose() => temp.Dispose();

    private void FuzzJson(string what, string original, Action<string> read)
    {
        var gen = Gen.Select(Gen.Bool, Mutation.JsonGen, Mutation.Gen);
        Fuzz(what, gen, input =>
        {
            var (structured, edits, mutations) = input;
            read(structured
                ? Mutation.ApplyJson(original, edits)
                : Encoding.UTF8.GetString(Mutation.Apply(Encoding.UTF8.GetBytes(original), mutations)));
        });
    }

    private void Fuzz<T>(string what, Gen<T> gen, Action<T> read)
    {
        long tried = 0, refused = 0;
        gen.Sample(input =>
        {
            tried++;
            var attempt = Task.Run(() =>
            {
                try
                {
                    read(input);
                    return false;
                }
                catch (RnnLabException)
                {
                    return true;
                }
            });
            if (!attempt.Wait(TimeSpan.FromSeconds(30)))
            {
                throw new TimeoutException($"{what}: an input did not finish reading in 30 s");
            }
            refused += attempt.Result ? 1 : 0;
        }, iter: Iterations, threads: 1);
        output.WriteLine(
            $"{what}: {tried} inputs, {refused} refused with our error, {tried - refused} read; 0 failures");
        Assert.True(tried >= Iterations, $"{what}: only {tried} inputs");
    }

    private static void LoadAndBuild(string path)
    {
        var checkpoint = Checkpoint.Load(path);
        using var model = checkpoint.CreateModel(torch.CPU);
        Assert.Equal(model.VocabularySize, checkpoint.Vocabulary.Count);
    }

    private static Dictionary<string, byte[]> ReadZip(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        return zip.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var stream = e.Open();
            var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            return buffer.ToArray();
        });
    }

    private static void WriteZip(string path, Dictionary<string, byte[]> entries)
    {
        File.Delete(path);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, bytes) in entries)
        {
            using var stream = zip.CreateEntry(name).Open();
            stream.Write(bytes);
        }
    }
}

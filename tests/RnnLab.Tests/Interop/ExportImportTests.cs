using System.IO.Compression;
using System.Text;
using RnnLab.Checkpoints;
using RnnLab.Interop;

namespace RnnLab.Tests.Interop;

public sealed class ExportImportTests
{
    private static readonly ModelConfig Small = new() { Cell = CellKind.Gru, Layers = 2, Hidden = 6, Embedding = 4 };

    [Theory]
    [InlineData(ExportFormat.Pytorch, "model.pt")]
    [InlineData(ExportFormat.Safetensors, "model.safetensors")]
    public void Export_then_import_keeps_every_weight_the_config_and_the_classes(ExportFormat format, string weights)
    {
        using var temp = new TempDir();
        var original = Checkpoint.Load(TestCheckpoints.Write(temp.File("a.ckpt"), Small, ["x", "y"]));

        var files = Exporter.Export(original, format, temp.File("export"));
        var imported = Checkpoint.Load(Importer.Import(temp.File("export"), temp.File("run")).Checkpoint);

        Assert.Equal([weights, "config.json", "vocab.json", "rnnlab_model.py"], files.Select(Path.GetFileName));
        Assert.Equal(original.Manifest.Config, imported.Manifest.Config);
        Assert.Equal(original.Manifest.Vocabulary, imported.Manifest.Vocabulary);
        Assert.Equal(original.Manifest.Classes, imported.Manifest.Classes);
        using var a = original.CreateModel(torch.CPU);
        using var b = imported.CreateModel(torch.CPU);
        var after = b.state_dict();
        foreach (var (name, tensor) in a.state_dict())
        {
            Assert.True(tensor.equal(after[name]).all().item<bool>(), $"{name} changed");
        }
        Assert.True(File.Exists(temp.File("run/config.json")) && File.Exists(temp.File("run/vocab.json")));
    }

    [Fact]
    public void Export_refuses_a_folder_with_files_and_leaves_no_staging_folder()
    {
        using var temp = new TempDir();
        var checkpoint = Checkpoint.Load(TestCheckpoints.Write(temp.File("a.ckpt"), Small));
        Directory.CreateDirectory(temp.File("taken"));
        temp.Write("taken/notes.txt", "mine");

        var error = Assert.Throws<RnnLabException>(() =>
            Exporter.Export(checkpoint, ExportFormat.Pytorch, temp.File("taken")));

        Assert.Equal($"--out {temp.File("taken")} already exists; pass a new folder for the export (rnnlab creates it)",
            error.Message);
        Assert.Equal("mine", File.ReadAllText(temp.File("taken/notes.txt")));
        Exporter.Export(checkpoint, ExportFormat.Pytorch, temp.File("fresh"));
        Assert.Equal(["a.ckpt", "fresh", "taken"],
            Directory.EnumerateFileSystemEntries(temp.Path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Import_names_the_parameter_whose_shape_does_not_match_the_config()
    {
        using var temp = new TempDir();
        var folder = Exported(temp);
        Edit(folder, "config.json", json => json.Replace("\"hidden\": 6", "\"hidden\": 5"));

        var error = Assert.Throws<RnnLabException>(() => Importer.Read(folder));

        Assert.Equal($"{folder}/model.pt: rnn.weight_ih_l0 has shape [18, 4], config.json's model needs [15, 4]",
            error.Message);
    }

    [Fact]
    public void Import_names_missing_and_unexpected_parameters()
    {
        using var temp = new TempDir();
        var folder = Exported(temp);
        Edit(folder, "config.json", json => json.Replace("\"layers\": 2", "\"layers\": 1"));

        var error = Assert.Throws<RnnLabException>(() => Importer.Read(folder));

        Assert.Equal($"{folder}/model.pt does not match config.json's model: unexpected rnn.bias_hh_l1, " +
            "rnn.bias_ih_l1, rnn.weight_hh_l1, rnn.weight_ih_l1", error.Message);
    }

    [Theory]
    [InlineData("\"format\": \"rnnlab-export\"", "\"format\": \"other\"",
        "config.json: format is 'other', expected 'rnnlab-export'")]
    [InlineData("\"version\": 1", "\"version\": 9",
        "config.json was written by a newer RnnLab (export version 9); upgrade to read it")]
    [InlineData("\"cell\": \"gru\"", "\"cell\": \"elman\"",
        "config.json: --cell elman is the hand-built cell of 'rnnlab classify train'; for a language model use " +
        "rnn-tanh, rnn-relu, lstm or gru")]
    [InlineData("\"hidden\": 6", "\"hidden\": \"six\"",
        "config.json is not valid: the value at $.model.hidden has the wrong type or form (line 7)")]
    [InlineData("\"hidden\": 6", "\"hiden\": 6", "config.json is not valid: unknown key $.model.hiden (line 7)")]
    [InlineData("\"name\": \"test\"", "\"name\": \"../../escape\"",
        "config.json: --name '../../escape' is not a plain name; use letters, digits, '-', '_' and '.' (it " +
        "becomes part of a folder name)")]
    public void Import_refuses_a_bad_config_with_a_message_naming_it(string from, string to, string expected)
    {
        using var temp = new TempDir();
        var folder = Exported(temp);
        Edit(folder, "config.json", json => json.Replace(from, to));

        var error = Assert.Throws<RnnLabException>(() => Importer.Read(folder));

        Assert.Equal($"{folder}/{expected}", error.Message);
    }

    [Fact]
    public void A_config_cut_short_is_named_as_not_json_rather_than_a_wrong_value()
    {
        using var temp = new TempDir();
        var folder = Exported(temp);
        var config = Path.Combine(folder, "config.json");
        File.WriteAllText(config, File.ReadAllText(config)[..60]);

        var error = Assert.Throws<RnnLabException>(() => Importer.Read(folder));

        Assert.StartsWith($"{config} is not valid JSON: Expected depth to be zero at the end of the JSON payload",
            error.Message);
    }

    [Theory]
    [InlineData("\"<pad>\",", "", "the tokens must start with <pad>, <bos>, <eos>, <unk> (ids 0-3)")]
    [InlineData("\"A\",", "\"AB\",", "vocabulary entry 'AB' is not exactly one character")]
    [InlineData("\"B\",", "\"A\",", "the vocabulary lists a character twice")]
    [InlineData("\"B\",", "\"\",", "vocabulary entry '' is not exactly one character")]
    [InlineData("\"C\",", "\"~\",", "characters must be in code-point order after the special tokens " +
        "(token 16 breaks it); sort them, and the matching embedding and decoder rows, before exporting")]
    public void Import_refuses_a_vocabulary_whose_ids_would_mean_other_characters(string from, string to,
        string expected)
    {
        using var temp = new TempDir();
        var folder = Exported(temp);
        Edit(folder, "vocab.json", json => json.Replace(from, to));

        var error = Assert.Throws<RnnLabException>(() => Importer.Read(folder));

        Assert.Equal($"{folder}/vocab.json: {expected}", error.Message);
    }

    [Fact]
    public void Import_refuses_non_finite_weights_and_a_folder_with_two_weight_files()
    {
        using var temp = new TempDir();
        var checkpoint = Checkpoint.Load(TestCheckpoints.Write(temp.File("a.ckpt"), Small));
        using (var model = checkpoint.CreateModel(torch.CPU))
        using (torch.no_grad())
        {
            model.state_dict()["decoder.bias"][3] = float.NaN;
            Checkpoint.Save(temp.File("nan.ckpt"), checkpoint.Manifest,
                new Dictionary<string, byte[]> { ["model.bin"] = TestCheckpoints.ModelBytes(model) });
        }
        Exporter.Export(Checkpoint.Load(temp.File("nan.ckpt")), ExportFormat.Safetensors, temp.File("nan"));
        var folder = Exported(temp);
        File.Copy(temp.File("nan/model.safetensors"), Path.Combine(folder, "model.safetensors"));

        Assert.Equal($"{temp.File("nan")}/model.safetensors: decoder.bias holds NaN or infinite values",
            Assert.Throws<RnnLabException>(() => Importer.Read(temp.File("nan"))).Message);
        Assert.Equal($"{folder} has both model.pt and model.safetensors; keep one",
            Assert.Throws<RnnLabException>(() => Importer.Read(folder)).Message);
    }

    [Theory]
    // a pickle whose top level calls os.system, and one that hides the call inside the state dict
    [InlineData("cposix\nsystem\n(V{0}\ntR.")]
    [InlineData("(dp0\nVdecoder.bias\np1\ncposix\nsystem\n(V{0}\ntRs.")]
    public void A_pickle_that_calls_a_function_is_read_as_data_and_refused(string pickle)
    {
        using var temp = new TempDir();
        var folder = Exported(temp);
        var marker = temp.File("pwned");
        File.Delete(Path.Combine(folder, "model.pt"));
        using (var zip = ZipFile.Open(Path.Combine(folder, "model.pt"), ZipArchiveMode.Create))
        using (var entry = zip.CreateEntry("archive/data.pkl").Open())
        {
            var command = string.Format(CultureInfo.InvariantCulture, pickle, $"touch {marker}");
            entry.Write(Encoding.ASCII.GetBytes(command));
        }

        var error = Assert.Throws<RnnLabException>(() => Importer.Read(folder));

        Assert.StartsWith($"{folder}/model.pt is not a PyTorch state dict (torch.save of model.state_dict()): ",
            error.Message);
        Assert.False(File.Exists(marker), "the pickle's call ran");
    }

    [Fact]
    public void A_file_that_is_not_a_zip_is_named_as_not_a_state_dict()
    {
        using var temp = new TempDir();
        var folder = Exported(temp);
        File.WriteAllText(Path.Combine(folder, "model.pt"), "not a pickle");

        Assert.StartsWith($"{folder}/model.pt is not a PyTorch state dict",
            Assert.Throws<RnnLabException>(() => Importer.Read(folder)).Message);
    }

    [Fact]
    public void A_failed_or_cancelled_import_leaves_no_folder_and_a_killed_ones_staging_is_cleared()
    {
        using var temp = new TempDir();
        var folder = Exported(temp);
        // a staging folder of a process that no longer runs (pid 2^22 is above Linux's pid_max), and
        // two of the user's folders that only look alike
        var abandoned = temp.File($".run.rnnlab-tmp-4194304-{Guid.NewGuid():N}");
        Directory.CreateDirectory(abandoned);
        File.WriteAllText(Path.Combine(abandoned, ".rnnlab-staging"), "");
        var unmarked = temp.File($".run.rnnlab-tmp-4194304-{Guid.NewGuid():N}");
        Directory.CreateDirectory(unmarked);
        var lookalike = temp.File("run.tmp-2024-12-04");
        Directory.CreateDirectory(lookalike);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.Throws<OperationCanceledException>(() => Importer.Import(folder, temp.File("run"), cancelled.Token));
        File.WriteAllText(Path.Combine(folder, "model.pt"), "not a zip");
        Assert.Throws<RnnLabException>(() => Importer.Import(folder, temp.File("run")));

        Assert.Equal(["export", "src.ckpt"], Directory.EnumerateFileSystemEntries(temp.Path)
            .Select(Path.GetFileName).Order().Where(n => !n!.Contains("tmp", StringComparison.Ordinal)));
        Exporter.Export(Checkpoint.Load(temp.File("src.ckpt")), ExportFormat.Pytorch, temp.File("again"));
        Importer.Import(temp.File("again"), temp.File("run"));
        Assert.False(Directory.Exists(abandoned), "the abandoned staging folder is still there");
        Assert.True(Directory.Exists(unmarked) && Directory.Exists(lookalike), "a folder rnnlab did not make is gone");
        Assert.Equal(["best.ckpt", "config.json", "vocab.json"],
            Directory.EnumerateFiles(temp.File("run")).Select(Path.GetFileName).Order());
    }

    [Theory]
    [InlineData(CellKind.Lstm, 2, 7, 5, 0)]
    [InlineData(CellKind.Gru, 3, 4, 0, 0)]
    [InlineData(CellKind.RnnTanh, 1, 9, 3, 4)]
    [InlineData(CellKind.RnnRelu, 2, 5, 0, 2)]
    public void The_parameter_count_computed_without_a_model_equals_the_built_models(CellKind cell, int layers,
        int hidden, int embedding, int classes)
    {
        var config = new ModelConfig { Cell = cell, Layers = layers, Hidden = hidden, Embedding = embedding,
            ClassEmbedding = 3 };
        using var model = new CharRnn(config, 30, classes);

        Assert.Equal(model.parameters().Sum(p => p.numel()), CharRnn.ParameterCount(config, 30, classes));
    }

    [Fact]
    public void A_config_that_asks_for_more_weights_than_the_file_holds_is_refused_before_building()
    {
        using var temp = new TempDir();
        var folder = Exported(temp);
        Edit(folder, "config.json", json => json.Replace("\"hidden\": 6", "\"hidden\": 65536"));

        var error = Assert.Throws<RnnLabException>(() => Importer.Read(folder));

        Assert.Equal($"{folder}/model.pt holds 1,194 weights, but config.json's model over vocab.json's 66 " +
            "tokens needs 38,660,604,234 " +
            "(gru, 2 layers, hidden 65536, embedding 4); they do not belong together", error.Message);
    }

    private static string Exported(TempDir temp)
    {
        var checkpoint = Checkpoint.Load(TestCheckpoints.Write(temp.File("src.ckpt"), Small));
        Exporter.Export(checkpoint, ExportFormat.Pytorch, temp.File("export"));
        return temp.File("export");
    }

    private static void Edit(string folder, string file, Func<string, string> change)
    {
        var path = Path.Combine(folder, file);
        var before = File.ReadAllText(path);
        var after = change(before);
        Assert.NotEqual(before, after);
        File.WriteAllText(path, after);
    }
}

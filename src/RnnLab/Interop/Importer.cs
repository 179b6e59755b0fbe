using System.Text.Json;
using RnnLab.Checkpoints;
using RnnLab.Configuration;
using RnnLab.Data;
using RnnLab.Models;
using RnnLab.Tracking;
using RnnLab.Training;

namespace RnnLab.Interop;

/// <summary>A network read from an export directory, with what it needs to run.</summary>
public sealed record ImportedModel(RunConfig Config, Vocabulary Vocabulary, IReadOnlyList<string>? Classes,
    CharRnn Model) : IDisposable
{
    public void Dispose() => Model.Dispose();
}

/// <summary>
/// Reads an export directory (from <c>rnnlab export</c>, or a PyTorch script using rnnlab_model.save)
/// into a runnable checkpoint. The weights are read as data: a pickle's globals are never imported or
/// called, only tensors under the expected names and shapes are accepted.
/// </summary>
public static class Importer
{
    /// <summary>Reads and checks the folder; each problem is an <see cref="RnnLabException"/> naming a file.</summary>
    public static ImportedModel Read(string directory)
    {
        if (File.Exists(directory))
        {
            throw new RnnLabException($"--from {directory} is a file; pass the folder that holds it " +
                $"({Path.GetDirectoryName(Path.GetFullPath(directory))})");
        }
        if (!Directory.Exists(directory))
        {
            throw new RnnLabException($"import folder not found: {directory}");
        }
        var config = ReadConfig(Path.Combine(directory, ExportFiles.Config));
        var vocabulary = ReadVocabulary(Path.Combine(directory, ExportFiles.Vocab));
        var classCount = config.Classes?.Count ?? 0;
        var weights = WeightsFile(directory);
        var tensors = StateDictFile.Read(weights.Path, weights.Format);
        CharRnn model;
        try
        {
            // a config asking for more weights than the file holds is refused before the model is
            // built, so a few bytes of JSON cannot make it allocate gigabytes; otherwise the model
            // is no bigger than the file, and the name-by-name check says what differs
            var needed = CharRnn.ParameterCount(config.Model!, vocabulary.Count, classCount);
            var held = tensors.Values.Sum(t => t.numel());
            if (needed > held)
            {
                throw new RnnLabException(string.Create(CultureInfo.InvariantCulture,
                    $"{weights.Path} holds {held:N0} weights, but config.json's model over vocab.json's " +
                    $"{vocabulary.Count:N0} tokens needs {needed:N0} " +
                    $"({EnumNames.Name(config.Model!.Cell)}, {config.Model.Layers} layers, hidden " +
                    $"{config.Model.Hidden}, embedding {config.Model.Embedding}); they do not belong together"));
            }
            model = new CharRnn(config.Model!, vocabulary.Count, classCount);
            try
            {
                LoadWeights(model, tensors, weights.Path);
            }
            catch
            {
                model.Dispose();
                throw;
            }
        }
        finally
        {
            foreach (var tensor in tensors.Values)
            {
                tensor.Dispose();
            }
        }
        // a PyTorch-written folder has no run config; the data path records where the weights came
        // from, and the (required) end of training is a placeholder: fine-tuning sets its own
        var conditioned = config.Classes is not null;
        var run = (config.Run ?? new RunConfig
        {
            Name = "imported",
            Data = new DataConfig
            {
                Path = Path.GetFullPath(directory),
                Mode = conditioned ? CorpusMode.Documents : CorpusMode.Stream,
                ConditionOnClass = conditioned,
            },
            Train = new TrainConfig { Epochs = 1 },
        }) with { Model = config.Model! };
        return new ImportedModel(run, vocabulary, config.Classes, model);
    }

    /// <summary>Writes the imported network as a new run folder: best.ckpt, config.json and vocab.json.</summary>
    /// <returns>The checkpoint's path and the model's classes (null when not conditioned).</returns>
    public static (string Checkpoint, IReadOnlyList<string>? Classes) Import(string directory, string runFolder,
        CancellationToken cancel = default)
    {
        using var imported = Read(directory);
        cancel.ThrowIfCancellationRequested();
        var manifest = new CheckpointManifest
        {
            Created = DateTimeOffset.UtcNow,
            Config = imported.Config,
            Vocabulary = imported.Vocabulary.Characters,
            Classes = imported.Classes,
        };
        var weights = StateBytes.Model(imported.Model);
        StagedFolder.Publish(runFolder, "run", staging =>
        {
            AtomicFile.WriteText(Path.Combine(staging, "config.json"), imported.Config.ToJson() + "\n");
            AtomicFile.WriteText(Path.Combine(staging, "vocab.json"), imported.Vocabulary.ToJson() + "\n");
            Checkpoint.Save(Path.Combine(staging, RunFolder.BestCheckpoint), manifest,
                new Dictionary<string, byte[]> { ["model.bin"] = weights });
        }, cancel);
        return (Path.Combine(runFolder, RunFolder.BestCheckpoint), imported.Classes);
    }

    private static ExportConfig ReadConfig(string path)
    {
        var config = ReadJson<ExportConfig>(path);
        if (config.Format != ExportConfig.FormatName)
        {
            throw new RnnLabException($"{path}: format is '{config.Format}', expected '{ExportConfig.FormatName}'");
        }
        if (config.Version < 1)
        {
            throw new RnnLabException($"{path}: version {config.Version} is not a version (1 or later)");
        }
        if (config.Version > ExportConfig.CurrentVersion)
        {
            throw new RnnLabException(
                $"{path} was written by a newer RnnLab (export version {config.Version}); upgrade to read it");
        }
        if (config.Model is null)
        {
            throw new RnnLabException($"{path} has no \"model\" section (cell, layers, hidden, embedding)");
        }
        InFile(path, config.Model.Validate);
        if (config.Run is not null)
        {
            // the run config names folders and files: it is read like one passed to 'train --config'
            var run = RunConfig.FromJson(JsonSerializer.Serialize(config.Run, ExportFiles.Json), path);
            if (string.IsNullOrWhiteSpace(run.Data.Path))
            {
                run = run with { Data = run.Data with { Path = Path.GetFullPath(Path.GetDirectoryName(path)!) } };
            }
            InFile(path, (run with { Model = config.Model }).Validate);
            config = config with { Run = run };
        }
        if (config.Classes is { } classes
            && (classes.Count == 0 || classes.Any(string.IsNullOrWhiteSpace)
                || classes.Distinct().Count() != classes.Count))
        {
            throw new RnnLabException($"{path}: \"classes\" must be distinct, non-empty names (or null)");
        }
        return config;
    }

    // the validators speak of command-line flags; here the values came from a file, so it is named
    private static void InFile(string path, Action validate)
    {
        try
        {
            validate();
        }
        catch (RnnLabException e)
        {
            throw new RnnLabException($"{path}: {e.Message}");
        }
    }

    // the tokens must be the specials, then single characters in code-point order: the order in
    // which RnnLab numbers them, so that ids mean the same on both sides
    private static Vocabulary ReadVocabulary(string path)
    {
        var tokens = ReadJson<ExportVocabulary>(path).Tokens
            ?? throw new RnnLabException($"{path} has no \"tokens\" list");
        if (tokens.Count < Vocabulary.Specials.Count
            || !tokens.Take(Vocabulary.Specials.Count).SequenceEqual(Vocabulary.Specials))
        {
            throw new RnnLabException(
                $"{path}: the tokens must start with {string.Join(", ", Vocabulary.Specials)} (ids 0-3)");
        }
        var characters = tokens.Skip(Vocabulary.Specials.Count).ToArray();
        var vocabulary = Vocabulary.FromCheckedCharacters(characters, path);
        var scalars = characters.Select(t => char.ConvertToUtf32(t, 0)).ToArray();
        for (var i = 1; i < scalars.Length; i++)
        {
            if (scalars[i] < scalars[i - 1])
            {
                // TODO: permute the embedding and decoder rows instead; until then the writer sorts
                throw new RnnLabException(
                    $"{path}: characters must be in code-point order after the special tokens " +
                    $"(token {i + Vocabulary.Specials.Count} breaks it); sort them, and the matching " +
                    "embedding and decoder rows, before exporting");
            }
        }
        return vocabulary;
    }

    private static T ReadJson<T>(string path)
    {
        if (!File.Exists(path))
        {
            throw new RnnLabException($"{path} not found; an export folder holds {ExportFiles.Config}, " +
                $"{ExportFiles.Vocab} and model.pt or model.safetensors");
        }
        var bytes = File.ReadAllBytes(path);
        var text = bytes.AsSpan().StartsWith(System.Text.Encoding.UTF8.Preamble) ? bytes[3..] : bytes;
        try
        {
            return JsonSerializer.Deserialize<T>(text, ExportFiles.Json)
                ?? throw new RnnLabException($"{path} is empty (null)");
        }
        catch (RnnLabException e) when (!e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            throw new RnnLabException($"{path}: {e.Message}"); // from a value converter (an enum name)
        }
        catch (JsonException e) when (e.InnerException is JsonException || e.GetType() != typeof(JsonException))
        {
            // the reader's own exception (alone, or inside the serializer's): the text is not JSON at
            // all, cut short or with a stray character, rather than JSON of the wrong shape
            throw new RnnLabException($"{path} is not valid JSON: {(e.InnerException ?? e).Message}");
        }
        catch (JsonException e)
            when (e.Path == "$" && e.Message.Contains("could not be converted", StringComparison.Ordinal))
        {
            throw new RnnLabException($"{path} is not valid: expected a JSON object at the top level");
        }
        catch (JsonException e) when (e.Path is { Length: > 1 } where)
        {
            throw new RnnLabException(e.Message.Contains("could not be mapped", StringComparison.Ordinal)
                ? $"{path} is not valid: unknown key {where} (line {e.LineNumber + 1})"
                : $"{path} is not valid: the value at {where} has the wrong type or form (line {e.LineNumber + 1})");
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException
            or NotSupportedException)
        {
            throw new RnnLabException($"{path} is not valid: {e.Message}");
        }
    }

    private static (string Path, ExportFormat Format) WeightsFile(string directory)
    {
        var found = Enum.GetValues<ExportFormat>()
            .Select(f => (Path: Path.Combine(directory, ExportFiles.Weights(f)), Format: f))
            .Where(f => File.Exists(f.Path))
            .ToArray();
        return found.Length switch
        {
            1 => found[0],
            0 => throw new RnnLabException($"{directory} has no weights: expected model.pt or model.safetensors"),
            _ => throw new RnnLabException($"{directory} has both model.pt and model.safetensors; keep one"),
        };
    }

    private static void LoadWeights(CharRnn model, Dictionary<string, Tensor> tensors, string path)
    {
        using var scope = torch.NewDisposeScope();
        var expected = model.state_dict();
        var missing = expected.Keys.Except(tensors.Keys).Order(StringComparer.Ordinal).ToArray();
        var unexpected = tensors.Keys.Except(expected.Keys).Order(StringComparer.Ordinal).ToArray();
        if (missing.Length > 0 || unexpected.Length > 0)
        {
            throw new RnnLabException($"{path} does not match config.json's model: " +
                (missing.Length > 0 ? $"missing {string.Join(", ", missing)}" : "") +
                (missing.Length > 0 && unexpected.Length > 0 ? "; " : "") +
                (unexpected.Length > 0 ? $"unexpected {string.Join(", ", unexpected)}" : ""));
        }
        using var noGrad = torch.no_grad();
        foreach (var (name, target) in expected)
        {
            var source = tensors[name];
            if (!source.shape.SequenceEqual(target.shape))
            {
                throw new RnnLabException($"{path}: {name} has shape [{string.Join(", ", source.shape)}], " +
                    $"config.json's model needs [{string.Join(", ", target.shape)}]");
            }
            if (!source.is_floating_point())
            {
                throw new RnnLabException($"{path}: {name} holds {source.dtype}, not floating-point weights");
            }
            target.copy_(source);
        }
        var nonFinite = expected.Where(e => !e.Value.isfinite().all().item<bool>()).Select(e => e.Key).FirstOrDefault();
        if (nonFinite is not null)
        {
            throw new RnnLabException($"{path}: {nonFinite} holds NaN or infinite values");
        }
    }
}

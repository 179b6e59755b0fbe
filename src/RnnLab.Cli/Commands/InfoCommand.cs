using RnnLab.Classification;
using RnnLab.Configuration;
using RnnLab.Tracking;

namespace RnnLab.Cli.Commands;

public sealed class InfoSettings : CheckpointSettings;

/// <summary><c>rnnlab info</c>: what a checkpoint holds.</summary>
public sealed class InfoCommand : Command<InfoSettings>
{
    public override int Execute(CommandContext context, InfoSettings settings, CancellationToken cancel)
    {
        var path = RunFolder.ResolveCheckpoint(settings.Checkpoint);
        if (ClassifierCheckpoint.Is(path))
        {
            return Classifier(ClassifierCheckpoint.Load(path));
        }
        using var loaded = LoadedModel.Open(settings);
        var manifest = loaded.Checkpoint.Manifest;
        var config = manifest.Config;
        var progress = manifest.Progress;
        var parameters = loaded.Model.parameters().Sum(p => p.numel());
        var lines = new (string, string)[]
        {
            ("checkpoint", loaded.Checkpoint.Path),
            ("created", manifest.Created.ToString("u", CultureInfo.InvariantCulture)),
            ("model", $"{EnumNames.Name(config.Model.Cell)} | {Layers(config.Model.Layers)} | " +
                $"hidden {config.Model.Hidden} | embedding {config.Model.Embedding} | " +
                (manifest.Classes is null ? "" : $"class embedding {config.Model.ClassEmbedding} | ") +
                $"dropout {config.Model.Dropout} | {parameters:N0} parameters"),
            ("data", $"{config.Data.Path} | {EnumNames.Name(config.Data.Mode)} | batch {config.Data.BatchSize} | " +
                $"bptt {config.Data.Bptt} | sha256 " +
                (manifest.DataHash.Length == 0
                    ? "none (imported)"
                    : manifest.DataHash[..Math.Min(16, manifest.DataHash.Length)])),
            ("vocabulary", $"{loaded.Vocabulary.Count} ids: 4 special + {manifest.Vocabulary.Count} characters"),
            ("optimizer", $"{EnumNames.Name(config.Optim.Optimizer)} | lr {config.Optim.LearningRate} | " +
                $"schedule {EnumNames.Name(config.Optim.Schedule)} | " +
                $"clip {EnumNames.Name(config.Optim.ClipMode)} {config.Optim.Clip}"),
            ("progress", $"step {progress.Step} | epoch {progress.Epoch + 1} | {progress.Tokens:N0} characters | " +
                $"{progress.TrainSeconds:F0} s trained"),
            ("validation", manifest.ValidationLoss is null && double.IsPositiveInfinity(progress.BestValidationLoss)
                ? "none: never evaluated (an imported or untrained model)"
                : $"loss {manifest.ValidationLoss ?? double.NaN:F4} | best {progress.BestValidationLoss:F4} " +
                  $"at step {progress.BestStep}"),
            ("classes", manifest.Classes is { } classes ? string.Join(", ", classes) : "none (not conditioned)"),
            ("entries", string.Join(", ", manifest.Entries.Keys.Order())),
        };
        return Print(lines);
    }

    private static int Classifier(ClassifierCheckpoint checkpoint)
    {
        var manifest = checkpoint.Manifest;
        var config = manifest.Config;
        using var model = checkpoint.CreateModel(TorchSharp.torch.CPU);
        var parameters = model.parameters().Sum(p => p.numel());
        return Print(
        [
            ("checkpoint", $"{checkpoint.Path} (classifier)"),
            ("created", manifest.Created.ToString("u", CultureInfo.InvariantCulture)),
            ("model", $"{EnumNames.Name(config.Model.Cell)}{(config.Model.Bidirectional ? " bidirectional" : "")} | " +
                $"{Layers(config.Model.Layers)} | hidden {config.Model.Hidden} | " +
                $"embedding {config.Model.Embedding} | " +
                $"dropout {config.Model.Dropout} | {parameters:N0} parameters"),
            ("data", $"{config.Data.Path} | sha256 {manifest.DataHash[..Math.Min(16, manifest.DataHash.Length)]}"),
            ("vocabulary", $"{checkpoint.Vocabulary.Count} ids: 4 special + {manifest.Vocabulary.Count} characters"),
            ("classes", $"{manifest.Classes.Count}: {string.Join(", ", manifest.Classes)}"),
            ("progress", $"epoch {manifest.Epoch} | step {manifest.Step}"),
            ("validation", $"loss {manifest.ValidationLoss ?? double.NaN:F4} | accuracy " +
                $"{manifest.ValidationAccuracy ?? double.NaN:F4} | " +
                $"macro-F1 {manifest.ValidationMacroF1 ?? double.NaN:F4}"),
        ]);
    }

    private static string Layers(int count) => count == 1 ? "1 layer" : $"{count} layers";

    private static int Print(IEnumerable<(string Key, string Value)> lines)
    {
        foreach (var (key, value) in lines)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{key,-11} {value}"));
        }
        return 0;
    }
}

using RnnLab.Configuration;

namespace RnnLab.Cli.Commands;

public sealed class InfoSettings : CheckpointSettings;

/// <summary><c>rnnlab info</c>: what a checkpoint holds.</summary>
public sealed class InfoCommand : Command<InfoSettings>
{
    public override int Execute(CommandContext context, InfoSettings settings, CancellationToken cancel)
    {
        using var loaded = LoadedModel.Open(settings);
        var manifest = loaded.Checkpoint.Manifest;
        var config = manifest.Config;
        var progress = manifest.Progress;
        var parameters = loaded.Model.parameters().Sum(p => p.numel());
        var lines = new (string, string)[]
        {
            ("checkpoint", loaded.Checkpoint.Path),
            ("created", manifest.Created.ToString("u", CultureInfo.InvariantCulture)),
            ("model", $"{EnumNames.Name(config.Model.Cell)} | {config.Model.Layers} layers | " +
                $"hidden {config.Model.Hidden} | " +
                $"embedding {config.Model.Embedding} | dropout {config.Model.Dropout} | {parameters:N0} parameters"),
            ("data", $"{config.Data.Path} | {EnumNames.Name(config.Data.Mode)} | batch {config.Data.BatchSize} | " +
                $"bptt {config.Data.Bptt} | sha256 {manifest.DataHash[..Math.Min(16, manifest.DataHash.Length)]}"),
            ("vocabulary", $"{loaded.Vocabulary.Count} ids: 4 special + {manifest.Vocabulary.Count} characters"),
            ("optimizer", $"{EnumNames.Name(config.Optim.Optimizer)} | lr {config.Optim.LearningRate} | " +
                $"schedule {EnumNames.Name(config.Optim.Schedule)} | " +
                $"clip {EnumNames.Name(config.Optim.ClipMode)} {config.Optim.Clip}"),
            ("progress", $"step {progress.Step} | epoch {progress.Epoch + 1} | {progress.Tokens:N0} characters | " +
                $"{progress.TrainSeconds:F0} s trained"),
            ("validation", $"loss {manifest.ValidationLoss ?? double.NaN:F4} | best {progress.BestValidationLoss:F4} " +
                $"at step {progress.BestStep}"),
            ("entries", string.Join(", ", manifest.Entries.Keys.Order())),
        };
        foreach (var (key, value) in lines)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{key,-11} {value}"));
        }
        return 0;
    }
}

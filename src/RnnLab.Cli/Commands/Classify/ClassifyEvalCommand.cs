using RnnLab.Classification;
using RnnLab.Models;
using RnnLab.Tracking;

namespace RnnLab.Cli.Commands.Classify;

public sealed class ClassifyEvalSettings : CheckpointSettings
{
    [CommandOption("--data <PATH>"), Description("A folder of <Class>.txt files, or a CSV file")]
    public string Data { get; init; } = "";

    [CommandOption("--label-column <NAME>"), Description("CSV: the class column (default: the run's)")]
    public string? LabelColumn { get; init; }

    [CommandOption("--text-column <NAME>"), Description("CSV: the text column (default: the run's)")]
    public string? TextColumn { get; init; }

    [CommandOption("--confusion-png <FILE>"), Description("Also draw the confusion matrix to this PNG file")]
    public string? ConfusionPng { get; init; }

    public override ValidationResult Validate() => string.IsNullOrWhiteSpace(Data)
        ? ValidationResult.Error("--data is required: pass a folder of <Class>.txt files or a CSV file")
        : base.Validate();
}

/// <summary><c>rnnlab classify eval</c>: accuracy, macro-F1, per-class figures and confusion on other data.</summary>
public sealed class ClassifyEvalCommand : Command<ClassifyEvalSettings>
{
    public override int Execute(CommandContext context, ClassifyEvalSettings settings, CancellationToken cancel)
    {
        var checkpoint = ClassifierCheckpoint.Load(RunFolder.ResolveCheckpoint(settings.Checkpoint));
        var trained = checkpoint.Manifest.Config.Data;
        var data = LabeledDataReader.Read(trained with
        {
            Path = settings.Data,
            LabelColumn = settings.LabelColumn ?? trained.LabelColumn,
            TextColumn = settings.TextColumn ?? trained.TextColumn,
            KeepDuplicates = true, // evaluation counts the data as it is
        }, minimumClasses: 1);
        var classes = checkpoint.Manifest.Classes;
        var foreign = data.Classes.Where(c => !classes.Contains(c)).ToArray();
        if (foreign.Length > 0)
        {
            throw new RnnLabException(
                $"{settings.Data} has classes the model was not trained on: {string.Join(", ", foreign)}; " +
                $"its classes are: {string.Join(", ", classes)}");
        }
        // the data's labels renumbered to the model's class order
        var labelOf = classes.Select((name, label) => (name, label)).ToDictionary(p => p.name, p => p.label);
        var items = data.Items.Select(i => i with { Label = labelOf[data.Classes[i.Label]] }).ToArray();
        var device = Devices.Resolve(settings.Device);
        var vocabulary = checkpoint.Vocabulary;
        using var model = checkpoint.CreateModel(device);
        var metrics = ClassifierEvaluator.Evaluate(model, new ItemBatches(items, vocabulary, 256, device), items,
            classes, cancel).Metrics;
        var unknown = items.Count(i => vocabulary.Missing(i.Text).Count > 0);
        if (unknown > 0)
        {
            Console.Error.WriteLine($"note: {unknown} item(s) have characters not seen in training; read as <unk>");
        }
        Console.Write(metrics.ToText());
        if (settings.ConfusionPng is { } png)
        {
            var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(settings.Data));
            try
            {
                ConfusionPlot.Save(metrics, png, $"Confusion on {name}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new RnnLabException($"cannot write --confusion-png {png}: {e.Message}; pass another path");
            }
            Console.WriteLine($"confusion matrix: {png}");
        }
        return 0;
    }
}

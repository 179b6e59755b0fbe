using RnnLab.Checkpoints;
using RnnLab.Configuration;
using RnnLab.Interop;
using RnnLab.Tracking;

namespace RnnLab.Cli.Commands;

public sealed class ExportSettings : CommandSettings
{
    [CommandOption("--checkpoint <RUN>"), Description("A run folder (its best.ckpt) or a .ckpt file")]
    public string Checkpoint { get; init; } = "";

    [CommandOption("--format <FORMAT>"), Description("pytorch (model.pt, for torch.load; default) or safetensors")]
    public string Format { get; init; } = "pytorch";

    [CommandOption("--out <DIR>"), Description("A new folder for the export")]
    public string Out { get; init; } = "";

    public override ValidationResult Validate() =>
        string.IsNullOrWhiteSpace(Checkpoint)
            ? ValidationResult.Error("--checkpoint is required: pass a run folder or a .ckpt file")
        : string.IsNullOrWhiteSpace(Out) ? ValidationResult.Error("--out is required: pass a new folder for the export")
        : ValidationResult.Success();
}

/// <summary><c>rnnlab export</c>: a checkpoint's weights, vocabulary and config in a form PyTorch loads.</summary>
public sealed class ExportCommand : Command<ExportSettings>
{
    public override int Execute(CommandContext context, ExportSettings settings, CancellationToken cancel)
    {
        var format = EnumNames.Parse<ExportFormat>(settings.Format, "--format");
        var checkpoint = Checkpoint.Load(RunFolder.ResolveCheckpoint(settings.Checkpoint));
        var files = Exporter.Export(checkpoint, format, settings.Out, cancel);
        // plain lines: the commands are meant to be copied, so no markup and no wrapping
        Console.WriteLine($"exported {checkpoint.Path} to {settings.Out}:");
        foreach (var file in files)
        {
            Console.WriteLine($"  {file}");
        }
        var folder = settings.Out.Replace("\\", "\\\\").Replace("\"", "\\\"");
        Console.WriteLine($"In Python: import rnnlab_model; model, tokens = rnnlab_model.load(\"{folder}\")");
        return 0;
    }
}

using RnnLab.Interop;

namespace RnnLab.Cli.Commands;

public sealed class ImportSettings : CommandSettings
{
    [CommandOption("--from <DIR>")]
    [Description("An export folder: config.json, vocab.json and model.pt or model.safetensors")]
    public string From { get; init; } = "";

    [CommandOption("--out <RUN>"), Description("A new run folder for the checkpoint")]
    public string Out { get; init; } = "";

    public override ValidationResult Validate() =>
        string.IsNullOrWhiteSpace(From) ? ValidationResult.Error("--from is required: pass an export folder")
        : string.IsNullOrWhiteSpace(Out) ? ValidationResult.Error("--out is required: pass a new run folder")
        : ValidationResult.Success();
}

/// <summary><c>rnnlab import</c>: an export folder (ours or a PyTorch script's) into a runnable checkpoint.</summary>
public sealed class ImportCommand : Command<ImportSettings>
{
    public override int Execute(CommandContext context, ImportSettings settings, CancellationToken cancel)
    {
        var (checkpoint, classes) = Importer.Import(settings.From, settings.Out, cancel);
        // plain lines: the commands are meant to be copied, so no markup and no wrapping
        Console.WriteLine($"imported {settings.From} as {checkpoint}");
        var run = Shell.Quote(settings.Out);
        Console.WriteLine($"next: ./rnnlab sample --checkpoint {run} --length 200" +
            (classes is null ? "" : $" {Shell.Option("--class", classes[0])}"));
        Console.WriteLine($"  or: ./rnnlab train --init-from {run} --data FILE --steps 1000");
        return 0;
    }
}

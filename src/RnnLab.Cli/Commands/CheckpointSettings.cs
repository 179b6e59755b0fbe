namespace RnnLab.Cli.Commands;

/// <summary>Flags shared by the commands that read a checkpoint.</summary>
public class CheckpointSettings : CommandSettings
{
    [CommandOption("--checkpoint <RUN>"), Description("A run folder (its best.ckpt) or a .ckpt file")]
    public string Checkpoint { get; init; } = "";

    [CommandOption("--device <DEVICE>"), Description("cpu (default), cuda or auto")]
    public string Device { get; init; } = "cpu";

    public override ValidationResult Validate() => string.IsNullOrWhiteSpace(Checkpoint)
        ? ValidationResult.Error("--checkpoint is required: pass a run folder or a .ckpt file")
        : ValidationResult.Success();
}

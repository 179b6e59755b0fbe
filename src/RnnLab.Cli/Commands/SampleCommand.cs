using RnnLab.Sampling;

namespace RnnLab.Cli.Commands;

public sealed class SampleSettings : CheckpointSettings
{
    [CommandOption("--prime <TEXT>"), Description("Text to start from")]
    public string Prime { get; init; } = "";

    [CommandOption("--length <N>"), Description("Characters to generate (default 500)")]
    public int Length { get; init; } = 500;

    [CommandOption("--temperature <T>"), Description("Above 0; lower is safer, higher wilder (default 1)")]
    public double Temperature { get; init; } = 1.0;

    [CommandOption("--greedy"), Description("Always take the most likely character")]
    public bool Greedy { get; init; }

    [CommandOption("--top-k <K>"), Description("Sample among the K most likely characters (0: all)")]
    public int TopK { get; init; }

    [CommandOption("--top-p <P>"), Description("Sample among the most likely characters up to probability P (1: all)")]
    public double TopP { get; init; } = 1.0;

    [CommandOption("--num-samples <N>"), Description("Samples generated together as one batch (default 1)")]
    public int NumSamples { get; init; } = 1;

    [CommandOption("--seed <N>"), Description("Seed for repeatable samples")]
    public long? Seed { get; init; }

    [CommandOption("--unknown-to-unk"), Description("Map prime characters the model does not know to <unk>")]
    public bool UnknownToUnk { get; init; }
}

/// <summary><c>rnnlab sample</c>: one sample streams character by character; several print as they finish.</summary>
public sealed class SampleCommand : Command<SampleSettings>
{
    public override int Execute(CommandContext context, SampleSettings settings, CancellationToken cancel)
    {
        using var loaded = LoadedModel.Open(settings);
        var options = new SampleOptions
        {
            Prime = settings.Prime,
            Length = settings.Length,
            Temperature = settings.Temperature,
            Greedy = settings.Greedy,
            TopK = settings.TopK,
            TopP = settings.TopP,
            NumSamples = settings.NumSamples,
            Seed = settings.Seed,
            UnknownToUnk = settings.UnknownToUnk,
        };
        var sampler = new Sampler(loaded.Model, loaded.Vocabulary, loaded.Checkpoint.Manifest.Config.Data.Mode);
        var output = Console.Out;
        if (options.NumSamples == 1)
        {
            sampler.Generate(options, (_, text) =>
            {
                output.Write(text);
                output.Flush();
            }, cancel);
            output.WriteLine();
            return cancel.IsCancellationRequested ? TrainCommand.Interrupted : 0;
        }
        var samples = sampler.Generate(options, cancel: cancel);
        for (var i = 0; i < samples.Count; i++)
        {
            output.WriteLine($"--- sample {i + 1} ---");
            output.WriteLine(samples[i]);
        }
        return cancel.IsCancellationRequested ? TrainCommand.Interrupted : 0;
    }
}

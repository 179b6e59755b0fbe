using System.Text.Json;
using RnnLab.Configuration;
using RnnLab.Data;
using RnnLab.Training;

namespace RnnLab.Cli.Commands;

public sealed class EvalSettings : CheckpointSettings
{
    [CommandOption("--data <FILE>")]
    [Description("Text to evaluate on, read the way the model was trained (stream or documents)")]
    public string Data { get; init; } = "";

    [CommandOption("--batch-size <B>"), Description("Batch size (default: the run's)")]
    public int? BatchSize { get; init; }

    [CommandOption("--json"), Description("Print the result as JSON")]
    public bool Json { get; init; }

    public override ValidationResult Validate() => string.IsNullOrWhiteSpace(Data)
        ? ValidationResult.Error("--data is required: pass the text file to evaluate on")
        : BatchSize is < 1
            ? ValidationResult.Error($"--batch-size must be at least 1, not {BatchSize}")
            : base.Validate();
}

/// <summary><c>rnnlab eval</c>: loss in nats per character, bits per character and perplexity.</summary>
public sealed class EvalCommand : Command<EvalSettings>
{
    public override int Execute(CommandContext context, EvalSettings settings, CancellationToken cancel)
    {
        using var loaded = LoadedModel.Open(settings);
        var config = loaded.Checkpoint.Manifest.Config.Data with { Path = settings.Data };
        var (split, unknown) = CorpusPreparer.EncodeWhole(config, loaded.Vocabulary);

        // a short text gets fewer streams rather than an error: every stream needs two characters
        var batch = settings.BatchSize ?? config.BatchSize;
        if (config.Mode == CorpusMode.Stream)
        {
            batch = Math.Max(1, Math.Min(batch, split.Ids.Length / 2));
        }
        var device = loaded.Model.parameters().First().device;
        using var source = WindowSources.For(config with { BatchSize = batch }, split, device, null, "evaluation");
        var result = Evaluator.Evaluate(loaded.Model, source, cancel: cancel); // Ctrl-C: Errors reports it
        if (settings.Json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                loss = result.Loss, bpc = result.BitsPerChar, perplexity = result.Perplexity,
                characters = result.Tokens, unknown,
            }));
            return 0;
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{settings.Data} | loss {result.Loss:F4} nats/char | bpc {result.BitsPerChar:F3} | " +
            $"ppl {result.Perplexity:F2} | {result.Tokens:N0} characters predicted | " +
            $"{unknown:N0} not in the vocabulary (<unk>)"));
        return 0;
    }
}

using System.Text.Encodings.Web;
using System.Text.Json;
using RnnLab.Models;
using RnnLab.Seq2Seq;
using RnnLab.Tracking;

namespace RnnLab.Cli.Commands.Seq2Seq;

/// <summary>Flags shared by <c>seq2seq translate</c> and <c>seq2seq attention</c>.</summary>
public class Seq2SeqDecodeSettings : CheckpointSettings
{
    [CommandOption("--beam <N>"), Description("Beam width (default 5; 1: greedy)")]
    public int Beam { get; init; } = 5;

    [CommandOption("--length-penalty <A>"), Description("Beam score log p / length^A (default: the run's)")]
    public double? LengthPenalty { get; init; }

    [CommandOption("--max-output <N>"), Description("Longest output in characters (default: the run's)")]
    public int? MaxOutput { get; init; }

    public override ValidationResult Validate() =>
        Beam is < 1 or > 256 ? ValidationResult.Error($"--beam must be 1 to 256, not {Beam}")
        : LengthPenalty is < 0 or > 10 ? ValidationResult.Error(
            $"--length-penalty must be 0 to 10, not {LengthPenalty.Value.ToString(CultureInfo.InvariantCulture)}")
        : MaxOutput is < 1 ? ValidationResult.Error($"--max-output must be at least 1, not {MaxOutput}")
        : base.Validate();

    internal Translator Open()
    {
        var checkpoint = Seq2SeqCheckpoint.Load(RunFolder.ResolveCheckpoint(Checkpoint));
        return new Translator(checkpoint, Devices.Resolve(Device));
    }

    internal Translation Translate(Translator translator, string text) => translator.Translate(text, Beam,
        LengthPenalty ?? translator.Manifest.Config.Train.LengthPenalty, MaxOutput);
}

public sealed class Seq2SeqTranslateSettings : Seq2SeqDecodeSettings
{
    [CommandArgument(0, "[TEXT]"), Description("Texts to translate; none: one per line from standard input")]
    public string[] Texts { get; init; } = [];

    [CommandOption("--json"), Description("One JSON object per text")]
    public bool Json { get; init; }
}

/// <summary><c>rnnlab seq2seq translate</c>: each text (argument or stdin line) through a trained model.</summary>
public sealed class Seq2SeqTranslateCommand : Command<Seq2SeqTranslateSettings>
{
    // outputs print as themselves (UTF-8), not as \u escapes
    private static readonly JsonSerializerOptions Json = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public override int Execute(CommandContext context, Seq2SeqTranslateSettings settings, CancellationToken cancel)
    {
        using var translator = settings.Open();
        IReadOnlyList<string> texts = settings.Texts.Length > 0 ? settings.Texts : StandardInput.Lines();
        if (texts.All(text => text.Length == 0))
        {
            throw new RnnLabException(
                "nothing to translate; pass texts as arguments or one per line on standard input");
        }
        foreach (var text in texts)
        {
            cancel.ThrowIfCancellationRequested();
            if (text.Length == 0)
            {
                // a blank input line keeps its place in the output: an empty line, or a record without output
                Console.WriteLine(settings.Json
                    ? JsonSerializer.Serialize(new
                    {
                        input = "", source = "", output = "", log_probability = (double?)null, beam = settings.Beam,
                    }, Json)
                    : "");
                continue;
            }
            if (translator.Source.UnknownNote(translator.Normalize(text)) is { } note)
            {
                Console.Error.WriteLine($"note: '{text}': {note}");
            }
            var translation = settings.Translate(translator, text);
            Console.WriteLine(settings.Json
                ? JsonSerializer.Serialize(new
                {
                    input = translation.Input, source = translation.Source, output = translation.Output,
                    log_probability = translation.LogProbability, beam = settings.Beam,
                }, Json)
                : translation.Output);
        }
        return 0;
    }
}

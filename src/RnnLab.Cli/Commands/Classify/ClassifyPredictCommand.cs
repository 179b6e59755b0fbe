using System.Text.Encodings.Web;
using System.Text.Json;
using RnnLab.Classification;
using RnnLab.Data;
using RnnLab.Models;
using RnnLab.Tracking;

namespace RnnLab.Cli.Commands.Classify;

public sealed class ClassifyPredictSettings : CheckpointSettings
{
    [CommandArgument(0, "[TEXT]"), Description("Items to classify; none: one per line from standard input")]
    public string[] Texts { get; init; } = [];

    [CommandOption("--top <K>"), Description("Classes shown per item (default 3)")]
    public int Top { get; init; } = 3;

    [CommandOption("--json"), Description("One JSON object per item")]
    public bool Json { get; init; }

    public override ValidationResult Validate() => Top < 1
        ? ValidationResult.Error($"--top must be at least 1, not {Top}")
        : base.Validate();
}

/// <summary><c>rnnlab classify predict</c>: the most likely classes of each item, with probabilities.</summary>
public sealed class ClassifyPredictCommand : Command<ClassifyPredictSettings>
{
    public override int Execute(CommandContext context, ClassifyPredictSettings settings, CancellationToken cancel)
    {
        var checkpoint = ClassifierCheckpoint.Load(RunFolder.ResolveCheckpoint(settings.Checkpoint));
        IReadOnlyList<string> texts = settings.Texts.Length > 0 ? settings.Texts : ReadStandardInput();
        if (texts.Count == 0)
        {
            throw new RnnLabException("nothing to classify; pass items as arguments or one per line on standard input");
        }
        using var predictor = new ClassifierPredictor(checkpoint, Devices.Resolve(settings.Device));
        NoteUnknown(predictor, texts);
        var top = Math.Min(settings.Top, predictor.Classes.Count);
        foreach (var prediction in predictor.Predict(texts, top))
        {
            if (settings.Json)
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    text = prediction.Text,
                    top = prediction.Top.Select(p => new { @class = p.Class, probability = p.Probability }),
                }, Json));
                continue;
            }
            var classes = prediction.Top.Select(p =>
                string.Create(CultureInfo.InvariantCulture, $"{p.Class} {p.Probability:F4}"));
            Console.WriteLine($"{prediction.Text}: {string.Join(", ", classes)}");
        }
        return 0;
    }

    // names print as themselves (UTF-8), not as \u escapes
    private static readonly JsonSerializerOptions Json = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    // a few notes name the items; a long list ends with a count rather than a note per item
    private const int NotesShown = 10;

    private static void NoteUnknown(ClassifierPredictor predictor, IReadOnlyList<string> texts)
    {
        var flagged = 0;
        foreach (var text in texts)
        {
            var unknown = predictor.UnknownCharacters(text);
            if (unknown.Count > 0 && ++flagged <= NotesShown)
            {
                var characters = string.Join(" ", unknown.Select(c => $"'{c}'"));
                Console.Error.WriteLine($"note: '{text}': {characters} not seen in training; read as <unk>");
            }
        }
        if (flagged > NotesShown)
        {
            Console.Error.WriteLine($"note: {flagged - NotesShown} more items have characters not seen in training");
        }
    }

    // stdin is read as bytes and decoded like any input file: a byte-order mark is dropped, CRLF
    // handled, and invalid UTF-8 refused rather than replaced
    private static List<string> ReadStandardInput()
    {
        if (!Console.IsInputRedirected)
        {
            return [];
        }
        using var buffer = new MemoryStream();
        Console.OpenStandardInput().CopyTo(buffer);
        if (buffer.Length == 0)
        {
            return [];
        }
        return CorpusReader.Decode("standard input", buffer.ToArray()).Text.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.Length > 0)
            .ToList();
    }
}

using System.Text.Json;
using RnnLab.Sampling;

namespace RnnLab.Cli.Commands;

public sealed class ScoreSettings : CheckpointSettings
{
    [CommandOption("--text <TEXT>"), Description("The text to score")]
    public string? Text { get; init; }

    [CommandOption("--file <FILE>"), Description("Score a file's text instead")]
    public string? File { get; init; }

    [CommandOption("--json"), Description("Print JSON instead of a table")]
    public bool Json { get; init; }

    [CommandOption("--unknown-to-unk"), Description("Score characters the model does not know as <unk>")]
    public bool UnknownToUnk { get; init; }

    public override ValidationResult Validate() => (Text is null) == (File is null)
        ? ValidationResult.Error("pass exactly one of --text or --file")
        : base.Validate();
}

/// <summary><c>rnnlab score</c>: each character's probability and surprisal.</summary>
public sealed class ScoreCommand : Command<ScoreSettings>
{
    public override int Execute(CommandContext context, ScoreSettings settings, CancellationToken cancel)
    {
        using var loaded = LoadedModel.Open(settings);
        var text = settings.Text ?? RnnLab.Data.CorpusReader.Read(settings.File!).Text;
        var scores = Scorer.Score(loaded.Model, loaded.Vocabulary, loaded.Checkpoint.Manifest.Config.Data.Mode, text,
            settings.UnknownToUnk);
        var meanBits = scores.Average(s => s.Surprisal);
        using var stdout = Console.OpenStandardOutput();
        if (settings.Json)
        {
            // written as it is serialised, so a long text never sits in memory as one string
            JsonSerializer.Serialize(stdout, new
            {
                characters = scores.Select(s => new
                {
                    position = s.Position,
                    character = s.Character,
                    probability = s.Probability,
                    surprisal_bits = s.Surprisal,
                }),
                mean_surprisal_bits = meanBits,
            });
            stdout.WriteByte((byte)'\n');
            return 0;
        }

        // one aligned row per character, streamed (a table widget would hold every row)
        using var writer = new StreamWriter(stdout, new System.Text.UTF8Encoding(false));
        writer.WriteLine($"{"pos",8}  {"char",-6} {"probability",11}  {"surprisal (bits)",16}");
        foreach (var score in scores)
        {
            var character = Visible(score.Character);
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{score.Position,8}  {character,-6} {score.Probability,11:F4}  {score.Surprisal,16:F3}"));
        }
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{scores.Count} characters | mean surprisal {meanBits:F3} bits/char"));
        return 0;
    }

    private static string Visible(string character) => character switch
    {
        "\n" => "\\n",
        "\t" => "\\t",
        " " => "␣",
        _ => character,
    };
}

using RnnLab.Configuration;
using RnnLab.Seq2Seq;

namespace RnnLab.Cli.Commands.Seq2Seq;

public sealed class Seq2SeqAttentionSettings : Seq2SeqDecodeSettings
{
    [CommandArgument(0, "<TEXT>"), Description("The text to translate")]
    public string Text { get; init; } = "";

    [CommandOption("--out <FILE>"), Description("The PNG heat map to write (default attention.png)")]
    public string Out { get; init; } = "attention.png";
}

/// <summary><c>rnnlab seq2seq attention</c>: a text's translation and its attention weights as a heat map.</summary>
public sealed class Seq2SeqAttentionCommand : Command<Seq2SeqAttentionSettings>
{
    public override int Execute(CommandContext context, Seq2SeqAttentionSettings settings, CancellationToken cancel)
    {
        if (Directory.Exists(settings.Out) || settings.Out.EndsWith('/'))
        {
            throw new RnnLabException($"--out {settings.Out} is a folder; pass the PNG file to write, such as " +
                $"{Path.Combine(settings.Out, "attention.png")}");
        }
        using var translator = settings.Open();
        if (translator.Manifest.Config.Model.Attention == AttentionKind.None)
        {
            throw new RnnLabException(
                $"{settings.Checkpoint} was trained with --attention none: it has no attention weights to draw; " +
                "pass a run trained with dot, general or concat");
        }
        var translation = settings.Translate(translator, settings.Text);
        var title = $"{translation.Source} -> {translation.Output}\n" +
            $"{EnumNames.Name(translator.Manifest.Config.Model.Attention)} attention, " +
            (settings.Beam == 1 ? "greedy" : $"beam {settings.Beam}");
        try
        {
            AttentionPlot.Save(translation, settings.Out, title);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RnnLabException($"cannot write --out {settings.Out}: {e.Message}; pass another path");
        }
        Console.WriteLine(translation.Output);
        Console.WriteLine($"attention map: {settings.Out}");
        return 0;
    }
}

using RnnLab.Classification;
using RnnLab.Models;
using RnnLab.Sampling;
using RnnLab.Tracking;

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

    [CommandOption("--beam <N>")]
    [Description("Beam search of width N: the most likely continuation of --prime (1: as --greedy)")]
    public int Beam { get; init; }

    [CommandOption("--length-penalty <A>"), Description("Beam: ended documents score log p / length^A (default 1)")]
    public double LengthPenalty { get; init; } = 1.0;

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

    [CommandOption("--class <NAME>")]
    [Description("The class to generate for (models trained with --condition-on-class)")]
    public string? Class { get; init; }

    [CommandOption("--judge <CLASSIFIER>")]
    [Description("A classifier run: report how often it assigns the samples to --class")]
    public string? Judge { get; init; }

    public override ValidationResult Validate() => Judge is not null && Class is null
        ? ValidationResult.Error("--judge checks samples against --class; pass --class too")
        : base.Validate();
}

/// <summary><c>rnnlab sample</c>: one sample streams character by character; several print as they finish.</summary>
public sealed class SampleCommand : Command<SampleSettings>
{
    public override int Execute(CommandContext context, SampleSettings settings, CancellationToken cancel)
    {
        using var loaded = LoadedModel.Open(settings);
        var judge = settings.Judge is { } run ? LoadJudge(run) : null;
        var options = new SampleOptions
        {
            Prime = settings.Prime,
            Length = settings.Length,
            Temperature = settings.Temperature,
            Greedy = settings.Greedy,
            Beam = settings.Beam,
            LengthPenalty = settings.LengthPenalty,
            TopK = settings.TopK,
            TopP = settings.TopP,
            NumSamples = settings.NumSamples,
            Seed = settings.Seed,
            UnknownToUnk = settings.UnknownToUnk,
            ClassIndex = settings.Class is { } name ? ClassIndex(loaded.Checkpoint.Manifest.Classes, name) : null,
        };
        if (judge is not null && !judge.Manifest.Classes.Contains(settings.Class!))
        {
            throw new RnnLabException($"the classifier {judge.Path} does not know the class '{settings.Class}'");
        }
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
        var verdicts = judge is null ? null : Judge(judge, samples, settings.Device);
        for (var i = 0; i < samples.Count; i++)
        {
            var verdict = verdicts?[i] is { } v ? string.Create(CultureInfo.InvariantCulture,
                $" (classifier: {v.Class} {v.Probability:F2})") : "";
            output.WriteLine($"--- sample {i + 1}{verdict} ---");
            output.WriteLine(samples[i]);
        }
        if (verdicts is not null)
        {
            var agree = verdicts.Count(v => v?.Class == settings.Class);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"classifier agreement: {agree}/{samples.Count} ({100.0 * agree / samples.Count:F1}%) of the samples " +
                $"judged {settings.Class}"));
        }
        return cancel.IsCancellationRequested ? TrainCommand.Interrupted : 0;
    }

    // the classifier's top class for each sample; an empty sample gets no verdict (it never agrees)
    private static (string Class, double Probability)?[] Judge(
        ClassifierCheckpoint judge, IReadOnlyList<string> samples, string device)
    {
        using var predictor = new ClassifierPredictor(judge, Devices.Resolve(device));
        var present = samples.Select((s, i) => (s, i)).Where(p => p.s.Trim().Length > 0).ToArray();
        var predictions = predictor.Predict(present.Select(p => p.s).ToArray(), top: 1);
        var verdicts = new (string, double)?[samples.Count];
        for (var n = 0; n < present.Length; n++)
        {
            verdicts[present[n].i] = predictions[n].Top[0];
        }
        return verdicts;
    }

    private static ClassifierCheckpoint LoadJudge(string run)
    {
        var path = RunFolder.ResolveCheckpoint(run);
        return ClassifierCheckpoint.Is(path)
            ? ClassifierCheckpoint.Load(path)
            : throw new RnnLabException(
                $"--judge needs a classifier run (from 'rnnlab classify train'); {path} is not a classifier " +
                "checkpoint");
    }

    internal static int ClassIndex(IReadOnlyList<string>? classes, string name)
    {
        if (classes is null)
        {
            throw new RnnLabException("this model is not conditioned on a class; drop --class");
        }
        var exact = classes.ToList().IndexOf(name);
        return exact >= 0
            ? exact
            : throw new RnnLabException(
                $"unknown --class '{name}'{Suggestion(classes, name)}; the model's classes: " +
                string.Join(", ", classes));
    }

    // class names are matched exactly; a difference of case gets a hint
    private static string Suggestion(IReadOnlyList<string> classes, string name)
    {
        var near = classes.FirstOrDefault(c => string.Equals(c, name, StringComparison.OrdinalIgnoreCase));
        return near is null ? "" : $" (did you mean '{near}'?)";
    }
}

using RnnLab.Checkpoints;
using RnnLab.Configuration;
using RnnLab.Data;
using RnnLab.Inspection;
using RnnLab.Models;
using RnnLab.Tracking;
using TorchSharp;

namespace RnnLab.Cli.Commands;

public sealed class GradientsSettings : CommandSettings
{
    [CommandOption("--checkpoint <RUN>")]
    [Description("Trained models to measure (run folders or .ckpt files); repeat the flag for several")]
    public string[] Checkpoints { get; init; } = [];

    [CommandOption("--text <TEXT>"), Description("The characters to run the models on")]
    public string? Text { get; init; }

    [CommandOption("--text-file <FILE>"), Description("...or the first characters of a UTF-8 file")]
    public string? TextFile { get; init; }

    [CommandOption("--steps <N>"), Description("Time steps to unroll (default 200; the text needs one more character)")]
    public int Steps { get; init; } = 200;

    [CommandOption("--fresh <CELLS>")]
    [Description("Untrained models to compare, comma-separated (default rnn-tanh,lstm,gru; 'none' for none)")]
    public string Fresh { get; init; } = "rnn-tanh,lstm,gru";

    [CommandOption("--hidden <N>"), Description("Fresh models' hidden size (default: the checkpoint's, else 128)")]
    public int? Hidden { get; init; }

    [CommandOption("--layers <N>"), Description("Fresh models' layers (default: the checkpoint's, else 2)")]
    public int? Layers { get; init; }

    [CommandOption("--embedding <N>"), Description("Fresh models' embedding (default: the checkpoint's, else 32)")]
    public int? Embedding { get; init; }

    [CommandOption("--seed <N>"), Description("Seed for the fresh models' weights (default 1)")]
    public int Seed { get; init; } = 1;

    [CommandOption("--out <DIR>"), Description("A new folder for the CSV and plots (default gradients/<time>-flow)")]
    public string? Out { get; init; }

    public override ValidationResult Validate() =>
        (Text is null) == (TextFile is null)
            ? ValidationResult.Error("pass the characters to run on: --text TEXT or --text-file FILE (one of them)")
            : Steps is < 2 or > 5_000 ? ValidationResult.Error($"--steps must be 2 to 5000 (got {Steps})")
            : ValidationResult.Success();
}

/// <summary><c>rnnlab gradients</c>: how the loss's gradient reaches each hidden state, step by step.</summary>
public sealed class GradientsCommand : Command<GradientsSettings>
{
    public override int Execute(CommandContext context, GradientsSettings settings, CancellationToken cancel)
    {
        var checkpoints = settings.Checkpoints.Select(c => Checkpoint.Load(RunFolder.ResolveCheckpoint(c))).ToArray();
        if (checkpoints.FirstOrDefault(c => c.Manifest.Classes is not null) is { } conditioned)
        {
            // TODO: take --class, as 'sample' does
            throw new RnnLabException(
                $"{conditioned.Path} is conditioned on a class, which gradients does not read yet; pass another");
        }
        if (checkpoints.Skip(1).Any(c => !c.Manifest.Vocabulary.SequenceEqual(checkpoints[0].Manifest.Vocabulary)))
        {
            throw new RnnLabException(
                "the checkpoints have different vocabularies; compare models trained on one text");
        }
        var checkpoint = checkpoints.FirstOrDefault();
        var fresh = settings.Fresh.Trim().Equals("none", StringComparison.OrdinalIgnoreCase)
            ? []
            : settings.Fresh.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(c => EnumNames.Parse<CellKind>(c, "cell in --fresh")).ToArray();
        if (checkpoint is null && fresh.Length == 0)
        {
            throw new RnnLabException("nothing to measure: pass --checkpoint, or fresh cells with --fresh");
        }
        var folder = settings.Out ?? RunFolder.DefaultPath("flow", root: "gradients");
        StagedFolder.CheckFree(folder, "gradient report"); // before the work, not after it
        var text = ReadText(settings);
        var vocabulary = checkpoint?.Vocabulary ?? Vocabulary.Build(CorpusReader.Scalars(text));
        var encoded = vocabulary.EncodeText(text);
        if (checkpoint is not null && vocabulary.UnknownNote(text, "the models do") is { } note)
        {
            Console.Error.WriteLine($"note: {note}");
        }
        if (encoded.Length < settings.Steps + 1)
        {
            throw new RnnLabException(
                $"the text has {encoded.Length} characters; --steps {settings.Steps} needs {settings.Steps + 1}");
        }
        using var ids = torch.tensor(encoded[..(settings.Steps + 1)].Select(i => (long)i).ToArray()).unsqueeze(0);

        var results = new List<GradientNorms>();
        var names = UniqueNames(checkpoints.Select(c => RunName(c.Path)).Concat(fresh.Select(_ => "fresh")).ToList(),
            checkpoints.Select(c => c.Manifest.Config.Model.Cell).Concat(fresh).ToList());
        for (var i = 0; i < checkpoints.Length; i++)
        {
            using var model = checkpoints[i].CreateModel(torch.CPU);
            results.AddRange(Both(model, ids, names[i], cancel));
        }
        var shape = checkpoint?.Manifest.Config.Model ?? new ModelConfig { Layers = 2, Hidden = 128, Embedding = 32 };
        for (var i = 0; i < fresh.Length; i++)
        {
            var cell = fresh[i];
            var config = shape with
            {
                Cell = cell,
                Hidden = settings.Hidden ?? shape.Hidden,
                Layers = settings.Layers ?? shape.Layers,
                Embedding = settings.Embedding ?? shape.Embedding,
                Dropout = 0,
            };
            config.Validate();
            torch.manual_seed(settings.Seed);
            using var model = new CharRnn(config, vocabulary.Count);
            results.AddRange(Both(model, ids, names[checkpoints.Length + i], cancel));
        }

        var title = $"Gradient flow over {settings.Steps} steps";
        IReadOnlyList<string> files = [];
        StagedFolder.Publish(folder, "gradient report", staging =>
            files = GradientFlowReport.Write(staging, results, title), cancel);
        Print(results, folder, files);
        return 0;
    }

    private static IEnumerable<GradientNorms> Both(CharRnn model, torch.Tensor ids, string label,
        CancellationToken cancel) =>
        [
            GradientFlow.Measure(model, ids, FlowLoss.LastStep, label, cancel: cancel),
            GradientFlow.Measure(model, ids, FlowLoss.AllSteps, label, cancel: cancel),
        ];

    // two models of one name and cell would share a heat map file and be mixed up in the CSV
    private static List<string> UniqueNames(List<string> names, List<CellKind> cells)
    {
        var keys = names.Zip(cells, (n, c) => $"{n}/{c}").ToList();
        return names.Select((name, i) => keys.Take(i).Count(k => k == keys[i]) is var before and > 0
            ? $"{name}-{before + 1}"
            : name).ToList();
    }

    // runs/2026-lstm/best.ckpt is "2026-lstm"; another checkpoint file is named by its file
    internal static string RunName(string checkpoint)
    {
        var file = Path.GetFileName(checkpoint);
        var folder = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(checkpoint)));
        return file is RunFolder.BestCheckpoint or RunFolder.LastCheckpoint && !string.IsNullOrEmpty(folder)
            ? folder
            : Path.GetFileNameWithoutExtension(file);
    }

    private static string ReadText(GradientsSettings settings)
    {
        if (settings.Text is not null)
        {
            return settings.Text;
        }
        if (!File.Exists(settings.TextFile))
        {
            throw new RnnLabException($"--text-file {settings.TextFile} not found");
        }
        // a few characters per step is plenty (one may be a surrogate pair); never cut a pair in two
        // TODO: read only the start of the file; the whole file is decoded now
        var text = CorpusReader.Read(settings.TextFile!).Text;
        var length = Math.Min(text.Length, 4 * (settings.Steps + 1) + 16);
        return text[..(length > 0 && char.IsHighSurrogate(text[length - 1]) ? length - 1 : length)];
    }

    private static void Print(List<GradientNorms> results, string folder, IReadOnlyList<string> files)
    {
        var width = Math.Max(5, results.Max(r => GradientFlowReport.Label(r).Length));
        Console.WriteLine($"{"model".PadRight(width)} | loss      | top layer |dL/dh_1| | |dL/dh_T| | first/last");
        foreach (var r in results)
        {
            var top = r.Layers - 1;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{GradientFlowReport.Label(r).PadRight(width)} | {EnumNames.Name(r.Loss),-9} | " +
                $"{r.Norms[top, 0],18:0.00e+00} | {r.Norms[top, r.Steps - 1],9:0.00e+00} | " +
                $"{r.FirstToLastRatio:0.00e+00}"));
        }
        Console.WriteLine($"wrote {folder}: " + string.Join(", ", files.Select(Path.GetFileName)));
    }
}

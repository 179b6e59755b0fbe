using RnnLab.Checkpoints;
using RnnLab.Configuration;
using RnnLab.Data;
using RnnLab.Inspection;
using RnnLab.Models;
using RnnLab.Tracking;
using TorchSharp;

namespace RnnLab.Cli.Commands;

public sealed class GraphSettings : CommandSettings
{
    [CommandOption("--checkpoint <RUN>"), Description("A trained model (run folder or .ckpt file)")]
    public string? Checkpoint { get; init; }

    [CommandOption("--cell <KIND>"), Description("...or an untrained model: lstm, gru, rnn-tanh or rnn-relu")]
    public string? Cell { get; init; }

    [CommandOption("--layers <N>"), Description("The untrained model's layers (default 2)")]
    public int? Layers { get; init; }

    [CommandOption("--hidden <N>"), Description("The untrained model's hidden size (default 128)")]
    public int? Hidden { get; init; }

    [CommandOption("--embedding <N>"), Description("The untrained model's embedding size, 0 for one-hot (default 32)")]
    public int? Embedding { get; init; }

    [CommandOption("--steps <N>"), Description("Time steps to unroll (default 3)")]
    public int Steps { get; init; } = 3;

    [CommandOption("--batch-size <N>"), Description("Rows in the batch (default 1)")]
    public int BatchSize { get; init; } = 1;

    [CommandOption("--text <TEXT>"), Description("The characters fed in (default: a line of Hamlet)")]
    public string Text { get; init; } = "To be, or not to be, that is the question:";

    [CommandOption("--class <NAME>"), Description("The class, for a model trained with --condition-on-class")]
    public string? Class { get; init; }

    [CommandOption("--seed <N>"), Description("Seed for the untrained model's weights (default 1)")]
    public int? Seed { get; init; }

    [CommandOption("--out <FILE>")]
    [Description("A new .svg, .png or .dot file (default graph-<cell>-<steps>-steps.svg); the .dot is always written")]
    public string? Out { get; init; }

    public override ValidationResult Validate() =>
        Checkpoint is not null && Cell is not null
            ? ValidationResult.Error("pass one model: --checkpoint RUN or --cell KIND, not both")
        : Checkpoint is null && Cell is null
            ? ValidationResult.Error("pass the model to draw: --checkpoint RUN, or --cell KIND for an untrained one")
        : Checkpoint is not null && (Layers ?? Hidden ?? Embedding ?? Seed) is not null
            ? ValidationResult.Error("--layers, --hidden, --embedding and --seed shape an untrained model (--cell); " +
                "a checkpoint's model is drawn as it was trained")
            : Steps is < 1 or > 20 ? ValidationResult.Error($"--steps must be 1 to 20 (got {Steps}): a picture of " +
                "more steps is too large to read")
            : BatchSize is < 1 or > 64 ? ValidationResult.Error($"--batch-size must be 1 to 64 (got {BatchSize})")
            : Out is not null && Path.GetExtension(Out).ToLowerInvariant() is not (".svg" or ".png" or ".dot")
                ? ValidationResult.Error($"--out {Out}: name a .svg, .png or .dot file")
            : ValidationResult.Success();
}

/// <summary><c>rnnlab graph</c>: a picture of one training step's computation, unrolled over time.</summary>
public sealed class GraphCommand : Command<GraphSettings>
{
    public override int Execute(CommandContext context, GraphSettings settings, CancellationToken cancel)
    {
        var checkpoint = settings.Checkpoint is { } run ? Checkpoint.Load(RunFolder.ResolveCheckpoint(run)) : null;
        var config = checkpoint?.Manifest.Config.Model ?? new ModelConfig
        {
            Cell = EnumNames.Parse<CellKind>(settings.Cell!, "--cell"),
            Layers = settings.Layers ?? 2,
            Hidden = settings.Hidden ?? 128,
            Embedding = settings.Embedding ?? 32,
            Dropout = 0,
        };
        config.Validate();
        var output = settings.Out ?? $"graph-{EnumNames.Name(config.Cell)}-{settings.Steps}-steps.svg";
        var dotPath = Path.ChangeExtension(output, ".dot");
        foreach (var path in new[] { output, dotPath }.Distinct())
        {
            if (File.Exists(path) || Directory.Exists(path))
            {
                throw new RnnLabException($"{path} already exists; pass a new --out (nothing is overwritten)");
            }
        }

        var vocabulary = checkpoint?.Vocabulary ?? Vocabulary.Build(CorpusReader.Scalars(settings.Text));
        if (checkpoint is not null && vocabulary.UnknownNote(settings.Text) is { } note)
        {
            Console.Error.WriteLine($"note: {note}");
        }
        var encoded = vocabulary.EncodeText(settings.Text);
        var needed = settings.Steps + settings.BatchSize;
        if (encoded.Length < needed)
        {
            throw new RnnLabException($"--text has {encoded.Length} characters; --steps {settings.Steps} and " +
                $"--batch-size {settings.BatchSize} need {needed}: pass a longer --text");
        }
        // row b reads the text from character b: each row a different window of the same line
        var rows = Enumerable.Range(0, settings.BatchSize)
            .SelectMany(b => encoded.Skip(b).Take(settings.Steps + 1).Select(i => (long)i)).ToArray();
        using var ids = torch.tensor(rows, [settings.BatchSize, settings.Steps + 1]);

        torch.manual_seed(settings.Seed ?? 1);
        using var model = checkpoint?.CreateModel(torch.CPU) ?? new CharRnn(config, vocabulary.Count);
        using var classes = Classes(checkpoint, settings);
        var graph = StepGraphs.Record(model, ids, classes);
        var title = string.Create(CultureInfo.InvariantCulture,
            $"One training step of a {config.Layers}-layer {EnumNames.Name(config.Cell)} (hidden {config.Hidden}), " +
            $"{graph.Steps} steps, batch {graph.Batch}: loss {graph.Loss:F4}");
        var dot = GraphDot.Write(graph.Graph, title);
        AtomicFile.WriteText(dotPath, dot);
        var nodes = graph.Graph.Nodes;
        Console.WriteLine($"recorded {nodes.Count} tensors ({nodes.Count(n => n.Kind == GraphNodeKind.Parameter)} " +
            $"parameters) and {graph.Graph.Edges.Count} edges; wrote {dotPath}");
        if (output == dotPath)
        {
            return 0;
        }
        if (GraphDot.Render(dot, output, cancel) is { } problem)
        {
            Console.Error.WriteLine($"warning: {output} not drawn: {problem}; render it later with " +
                $"dot -T{Path.GetExtension(output).TrimStart('.')} {Shell.Quote(dotPath)} -o {Shell.Quote(output)}");
            return 0;
        }
        Console.WriteLine($"wrote {output}");
        return 0;
    }

    private static torch.Tensor? Classes(Checkpoint? checkpoint, GraphSettings settings)
    {
        var known = checkpoint?.Manifest.Classes;
        if (known is null)
        {
            return settings.Class is null
                ? null
                : throw new RnnLabException("this model is not conditioned on a class; drop --class");
        }
        var index = settings.Class is { } name ? SampleCommand.ClassIndex(known, name) : 0;
        if (settings.Class is null)
        {
            Console.Error.WriteLine($"note: the model is conditioned on a class; drawing it for '{known[0]}' " +
                "(choose with --class)");
        }
        return torch.full(settings.BatchSize, index, dtype: torch.ScalarType.Int64);
    }
}

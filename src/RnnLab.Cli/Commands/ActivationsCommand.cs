using System.Text;
using RnnLab.Cli.Output;
using RnnLab.Configuration;
using RnnLab.Data;
using RnnLab.Inspection;
using RnnLab.Tracking;

namespace RnnLab.Cli.Commands;

public sealed class ActivationsSettings : CheckpointSettings
{
    [CommandOption("--text <TEXT>"), Description("The characters to read")]
    public string? Text { get; init; }

    [CommandOption("--text-file <FILE>"), Description("...or a UTF-8 file's first --max-chars characters")]
    public string? TextFile { get; init; }

    [CommandOption("--layer <N>"), Description("The layer to show, 0 first (default: the top one)")]
    public int? Layer { get; init; }

    [CommandOption("--unit <N>"), Description("The unit shown first, 0 first (default: the most correlated)")]
    public int? Unit { get; init; }

    [CommandOption("--class <NAME>"), Description("The class to read under (models trained with --condition-on-class)")]
    public string? Class { get; init; }

    [CommandOption("--max-chars <N>"), Description("Read at most this many characters (default 3000)")]
    public int MaxChars { get; init; } = 3000;

    [CommandOption("--max-units <N>")]
    [Description("Units embedded to switch between (default 64; more if the top units need them)")]
    public int MaxUnits { get; init; } = 64;

    [CommandOption("--top <N>"), Description("Units listed per feature (default 5)")]
    public int Top { get; init; } = 5;

    [CommandOption("--out <FILE>"), Description("The page to write (default activations/<time>-<cell>.html)")]
    public string? Out { get; init; }

    [CommandOption("--overwrite"), Description("Replace --out if it exists")]
    public bool Overwrite { get; init; }

    public override ValidationResult Validate() =>
        (Text is null) == (TextFile is null)
            ? ValidationResult.Error("pass the characters to read: --text TEXT or --text-file FILE (one of them)")
            : MaxChars is < 2 or > 20_000 ? ValidationResult.Error($"--max-chars must be 2 to 20000 (got {MaxChars})")
            : MaxUnits is < 1 or > 4_096 ? ValidationResult.Error($"--max-units must be 1 to 4096 (got {MaxUnits})")
            : Top is < 1 or > 50 ? ValidationResult.Error($"--top must be 1 to 50 (got {Top})")
            : base.Validate();
}

/// <summary><c>rnnlab activations</c>: an HTML page of a text coloured by hidden units and by surprisal.</summary>
public sealed class ActivationsCommand : Command<ActivationsSettings>
{
    public override int Execute(CommandContext context, ActivationsSettings settings, CancellationToken cancel)
    {
        using var loaded = LoadedModel.Open(settings);
        var model = loaded.Model.Config;
        var path = settings.Out ?? RunFolder.DefaultPath(EnumNames.Name(model.Cell), "activations", ".html");
        CheckOut(path, settings.Overwrite); // before the work, not after it
        var classIndex = ClassIndex(loaded, settings.Class);
        var layer = CheckShape(model, settings);
        var notes = new List<string>();
        var text = ReadText(settings, notes);
        if (loaded.Vocabulary.UnknownNote(text) is { } note)
        {
            Console.Error.WriteLine($"note: {note}");
            notes.Add(note);
        }

        var mode = loaded.Checkpoint.Manifest.Config.Data.Mode;
        var trace = Activations.Trace(loaded.Model, loaded.Vocabulary, mode, text, layer, classIndex,
            TerminalProgress.Create(text.EnumerateRunes().Count()), cancel);
        var correlations = CharFeatures.All(trace.Characters)
            .Select(f => Correlation.Rank(trace, f, settings.Top)).ToArray();
        var unit = settings.Unit ?? correlations.SelectMany(c => c.Top)
            .OrderByDescending(c => Math.Abs(c.R)).Select(c => (int?)c.Unit).FirstOrDefault() ?? 0;
        var units = ActivationsPage.ChooseUnits(trace, correlations, unit, settings.MaxUnits);
        var run = GradientsCommand.RunName(loaded.Checkpoint.Path);
        var summary = $"{EnumNames.Name(model.Cell)}, {Count(model.Layers, "layer")} of {model.Hidden} units; " +
            $"layer {layer} read over {trace.Length:N0} characters in {EnumNames.Name(mode)} mode" +
            (mode == CorpusMode.Documents ? " (as one document, after <bos>)" : "") +
            (settings.Class is { } name ? $", class {name}" : "");
        var html = ActivationsPage.Render(new ActivationsPageContent($"Activations of {run}", summary, trace,
            correlations, unit, units, notes));
        Write(path, html, settings.Overwrite);
        Print(trace, correlations, path, html, unit, units.Count);
        return 0;
    }

    // the layer to read; both flags are checked against the model before any work
    private static int CheckShape(ModelConfig model, ActivationsSettings settings)
    {
        var layer = settings.Layer ?? model.Layers - 1;
        if (layer < 0 || layer >= model.Layers)
        {
            throw new RnnLabException($"--layer {layer} is out of range: the model has " +
                $"{Count(model.Layers, "layer")} (0 to {model.Layers - 1})");
        }
        if (settings.Unit is { } unit && (unit < 0 || unit >= model.Hidden))
        {
            throw new RnnLabException(
                $"--unit {unit} is out of range: each layer has {model.Hidden} units (0 to {model.Hidden - 1})");
        }
        return layer;
    }

    private static string Count(int n, string what) => n == 1 ? $"1 {what}" : $"{n} {what}s";

    private static int? ClassIndex(LoadedModel loaded, string? name)
    {
        var classes = loaded.Checkpoint.Manifest.Classes;
        if (classes is not null && name is null)
        {
            throw new RnnLabException("this model is conditioned on a class; pass --class NAME, one of: " +
                string.Join(", ", classes));
        }
        return name is null ? null : SampleCommand.ClassIndex(classes, name);
    }

    private static void CheckOut(string path, bool overwrite)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new RnnLabException("--out is empty; pass a file name for the page, such as act.html");
        }
        if (Directory.Exists(path))
        {
            throw new RnnLabException($"--out {path} is a folder; pass a file name for the page, such as " +
                Path.Combine(path, "activations.html"));
        }
        if (File.Exists(path) && !overwrite)
        {
            throw new RnnLabException(
                $"--out {path} already exists; pass a new file name, or --overwrite to replace it");
        }
    }

    // the page appears whole or not at all (temporary file, flush, rename)
    private static void Write(string path, string html, bool overwrite)
    {
        try
        {
            AtomicFile.WriteText(path, html, overwrite);
        }
        catch (IOException) when (!overwrite && File.Exists(path))
        {
            throw new RnnLabException($"--out {path} was created by another process meanwhile; pass a new file name");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RnnLabException($"cannot write --out {path}: {e.Message}; pass another path");
        }
    }

    private static string ReadText(ActivationsSettings settings, List<string> notes)
    {
        if (settings.TextFile is not null && !File.Exists(settings.TextFile))
        {
            throw new RnnLabException($"--text-file {settings.TextFile} not found");
        }
        // TODO: read only the start of the file; the whole file is decoded now (as in 'gradients')
        var text = settings.Text ?? CorpusReader.Read(settings.TextFile!).Text;
        var total = text.EnumerateRunes().Count();
        if (total < 2)
        {
            throw new RnnLabException(total == 0
                ? "the text is empty; pass at least 2 characters with --text or --text-file"
                : "the text has 1 character; pass at least 2");
        }
        if (total <= settings.MaxChars)
        {
            return text;
        }
        // cut by characters (Unicode scalars), never inside a surrogate pair
        var cut = new StringBuilder();
        foreach (var rune in text.EnumerateRunes().Take(settings.MaxChars))
        {
            cut.Append(rune.ToString());
        }
        var note = string.Create(CultureInfo.InvariantCulture,
            $"the text has {total:N0} characters; only the first {settings.MaxChars:N0} are read (--max-chars)");
        Console.Error.WriteLine($"note: {note}");
        notes.Add(note);
        return cut.ToString();
    }

    private static void Print(ActivationTrace trace, FeatureCorrelations[] correlations, string path, string html,
        int unit, int embedded)
    {
        var width = correlations.Max(c => c.Feature.Name.Length);
        Console.WriteLine($"{"feature".PadRight(width)} | units by |r| (unit r)");
        foreach (var row in correlations)
        {
            var units = row.Constant ? "constant over this text: r is undefined"
                : row.Top.Count == 0 ? "no unit varies over this text"
                : string.Join(", ", row.Top.Select(c => string.Create(CultureInfo.InvariantCulture,
                    $"{c.Unit} {c.R:+0.00;-0.00;0.00}")));
            Console.WriteLine($"{row.Feature.Name.PadRight(width)} | {units}");
        }
        var known = trace.Surprisal.OfType<double>().ToArray();
        var mean = known.Length > 0 ? known.Average() : double.NaN;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{trace.Length:N0} characters | mean surprisal {mean:F3} bits/char | layer {trace.Layer}, unit {unit} " +
            $"first, {embedded} of {trace.Units} units embedded"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"wrote {path} ({Encoding.UTF8.GetByteCount(html) / 1024.0:F0} KiB)"));
    }
}

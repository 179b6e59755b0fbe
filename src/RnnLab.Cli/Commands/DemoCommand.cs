using System.Diagnostics;
using RnnLab.Checkpoints;
using RnnLab.Configuration;
using RnnLab.Data;
using RnnLab.Sampling;
using RnnLab.Tracking;
using RnnLab.Training;

namespace RnnLab.Cli.Commands;

public sealed class DemoSettings : CommandSettings
{
    [CommandOption("--time-limit <DURATION>"), Description("Training time (default 3m)")]
    public string TimeLimit { get; init; } = "3m";

    [CommandOption("--data <FILE>"), Description("Use this text (documents separated by % lines) instead of fortunes")]
    public string? Data { get; init; }

    [CommandOption("--out <DIR>"), Description("Run folder (default runs/<time>-demo)")]
    public string? Out { get; init; }
}

/// <summary>
/// <c>rnnlab demo</c>: the main job. Debian's fortunes (thousands of short documents separated by
/// % lines) train a documents-mode LSTM for about three minutes; then validation bits per
/// character, five samples and the run folder are printed.
/// </summary>
public sealed class DemoCommand : Command<DemoSettings>
{
    private const string FortunesDir = "/usr/share/games/fortunes";

    public override int Execute(CommandContext context, DemoSettings settings, CancellationToken cancel)
    {
        var seconds = Duration.ParseSeconds(settings.TimeLimit, "time-limit");
        if (seconds <= 0)
        {
            throw new RnnLabException("--time-limit must be above 0 for the demo, e.g. 60s or 3m");
        }
        var cacheDir = CorpusPreparer.DefaultCacheDir();
        var data = settings.Data ?? FortunesCorpus(cacheDir);
        var config = new RunConfig
        {
            Name = "demo",
            Data = new DataConfig
            {
                Path = data, Mode = CorpusMode.Documents, Delimiter = "%", BatchSize = 32, Bptt = 64,
            },
            Model = new ModelConfig { Cell = CellKind.Lstm, Layers = 2, Hidden = 256, Embedding = 64 },
            Optim = new OptimConfig { LearningRate = 3e-3 },
            Train = new TrainConfig
            {
                TimeLimitSeconds = seconds,
                EvalEvery = 200,
                LogEvery = 50,
                EvalBatches = 40, SampleLength = 300,
            },
        };
        var options = new LaunchOptions
        {
            Config = config,
            Out = settings.Out ?? RunFolder.DefaultPath("demo"),
            CacheDir = cacheDir,
        };
        var (code, launched) = TrainCommand.Train(options, dryRun: false, cancel);
        var checkpoint = Checkpoint.Load(RunFolder.ResolveCheckpoint(options.Out));
        using var model = checkpoint.CreateModel(TorchSharp.torch.CPU);

        // training evaluated on a sample of validation windows to stay quick; the summary uses all
        using var validation = WindowSources.For(config.Data, launched!.Corpus.Validation, TorchSharp.torch.CPU,
            null, "validation");
        var result = Evaluator.Evaluate(model, validation);
        var samples = new Sampler(model, checkpoint.Vocabulary, CorpusMode.Documents)
            .Generate(new SampleOptions { Length = 400, NumSamples = 5, Temperature = 0.8, Seed = 7 });
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"validation: {result.BitsPerChar:F3} bits per character ({result.Loss:F4} nats, " +
            $"{result.Tokens:N0} characters) with the best checkpoint, step {checkpoint.Manifest.Progress.BestStep}"));
        for (var i = 0; i < samples.Count; i++)
        {
            Console.WriteLine($"--- sample {i + 1} ---");
            Console.WriteLine(samples[i]);
        }
        Console.WriteLine();
        Console.WriteLine($"run folder: {Path.GetFullPath(options.Out)}");
        Console.WriteLine(
            $"next: ./rnnlab sample --checkpoint {Shell.Quote(options.Out)} --num-samples 3 --temperature 0.7");
        return code;
    }

    // the fortunes files joined into one %-separated text, written once into the cache
    private static string FortunesCorpus(string cacheDir)
    {
        EnsureFortunesInstalled();
        var files = Directory.EnumerateFiles(FortunesDir)
            .Where(f => Path.GetExtension(f) is not (".dat" or ".u8"))
            .Where(f => !new FileInfo(f).Attributes.HasFlag(FileAttributes.ReparsePoint))
            .Order(StringComparer.Ordinal)
            .ToList();
        var parts = new List<string>();
        foreach (var file in files)
        {
            try
            {
                parts.Add(CorpusReader.Read(file).Text.TrimEnd('\n', '%'));
            }
            catch (RnnLabException e)
            {
                Console.Error.WriteLine($"note: skipping {file}: {e.Message}");
            }
        }
        if (parts.Count == 0)
        {
            throw new RnnLabException($"{FortunesDir} holds no readable fortunes; pass --data FILE");
        }
        var path = Path.Combine(cacheDir, "demo", "fortunes.txt");
        AtomicFile.WriteText(path, string.Join("\n%\n", parts) + "\n");
        return path;
    }

    private static void EnsureFortunesInstalled()
    {
        // fortunes-min (pulled in by fortune-mod) leaves three small files here; computers.dat
        // comes only with the full 'fortunes' package the demo needs
        if (File.Exists(Path.Combine(FortunesDir, "computers.dat")))
        {
            return;
        }
        Console.WriteLine("The demo trains on Debian's 'fortunes' package, which is not installed; installing it ...");
        var root = Environment.UserName == "root";
        var installed = root
            ? Run("apt-get", "install -y fortunes")
                || (Run("apt-get", "update") && Run("apt-get", "install -y fortunes"))
            : Run("sudo", "-n apt-get install -y fortunes");
        if (!installed || !Directory.Exists(FortunesDir))
        {
            throw new RnnLabException(
                "the demo corpus (Debian's full 'fortunes' package) is not installed and could not be " +
                "installed here; " +
                "install it with 'sudo apt-get install fortunes', or train on your own text: " +
                "./rnnlab demo --data FILE (documents separated by % lines) or " +
                "./rnnlab train --data FILE --time-limit 3m");
        }
    }

    private static bool Run(string program, string arguments)
    {
        try
        {
            var start = new ProcessStartInfo(program, arguments) { UseShellExecute = false };
            start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
            using var process = Process.Start(start)!;
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}

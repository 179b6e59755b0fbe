using System.Diagnostics;
using RnnLab.Checkpoints;
using RnnLab.Cli.Output;
using RnnLab.Configuration;
using RnnLab.Data;
using RnnLab.Models;
using RnnLab.Tracking;
using RnnLab.Training;

namespace RnnLab.Cli.Commands;

/// <summary><c>rnnlab train</c>: prepare the data, train, evaluate and checkpoint into a run folder.</summary>
public sealed class TrainCommand : Command<TrainSettings>
{
    public const int Interrupted = 130;

    public override int Execute(CommandContext context, TrainSettings settings, CancellationToken cancel)
    {
        var resume = settings.Resume is { } run
            ? Checkpoint.Load(RunFolder.ResolveCheckpoint(run, preferLast: true))
            : null;
        var init = settings.InitFrom is { } from ? Checkpoint.Load(RunFolder.ResolveCheckpoint(from)) : null;
        if (resume is not null && (init is not null || settings.Out is not null || settings.Config is not null))
        {
            throw new RnnLabException("--resume continues a run in its own folder with its own config; " +
                "drop --init-from, --out and --config");
        }
        var baseConfig = resume?.Manifest.Config
            ?? (settings.Config is { } file ? RunConfig.FromJsonFile(file) : new RunConfig());
        if (init is not null)
        {
            // fine-tuning keeps the checkpoint's network; everything else is this run's own
            baseConfig = baseConfig with { Model = init.Manifest.Config.Model };
        }
        var config = ConfigBuilder.Apply(baseConfig, settings);
        if (settings.DryRun && config.Train is { Steps: 0, Epochs: 0, TimeLimitSeconds: 0 })
        {
            // a dry run takes one step, so it needs no end of its own
            config = config with { Train = config.Train with { Steps = 1 } };
        }
        if (init is not null && config.Model != init.Manifest.Config.Model)
        {
            throw new RnnLabException("--init-from fixes the model to the checkpoint's; drop the model flags " +
                "(--cell, --layers, --hidden, --embedding, --class-embedding, --dropout)");
        }
        var options = new LaunchOptions
        {
            Config = config,
            Out = settings.Out,
            Resume = resume,
            InitFrom = init,
            CacheDir = settings.NoCache ? null : settings.CacheDir ?? CorpusPreparer.DefaultCacheDir(),
            Device = Devices.Resolve(settings.Device),
        };
        return Train(options, settings.DryRun, cancel).ExitCode;
    }

    /// <summary>Prepares, trains and reports; shared with <c>rnnlab demo</c>.</summary>
    internal static (int ExitCode, LaunchResult? Launched) Train(
        LaunchOptions options,
        bool dryRun,
        CancellationToken cancel)
    {
        var observer = new ConsoleObserver();
        var clock = Stopwatch.StartNew();
        var corpus = RunLauncher.PrepareCorpus(options);
        observer.Line(DataLine(options.Config, corpus, clock.Elapsed.TotalMilliseconds));
        if (corpus.Note is { } note)
        {
            observer.Line("note: " + note);
        }
        var unknown = corpus.Train.Ids.Count(Vocabulary.Unk);
        if (unknown > 0)
        {
            var share = string.Create(CultureInfo.InvariantCulture,
                $"{unknown:N0} training characters ({100.0 * unknown / corpus.Train.Ids.Length:F1}%)");
            observer.Line($"note: {share} are not in the vocabulary and train as <unk>");
        }
        if (dryRun)
        {
            observer.Line(RunLauncher.DryRun(options.Config, corpus, options.Device));
            return (0, null);
        }
        var launched = observer.Run(() => RunLauncher.Launch(options, corpus, observer, cancel));
        var progress = launched.Result.Progress;
        observer.Line(string.Create(CultureInfo.InvariantCulture,
            $"stopped: {launched.Result.StopReason} | step {progress.Step} | best val loss " +
            $"{progress.BestValidationLoss:F4} (bpc {progress.BestValidationLoss / Math.Log(2):F3}) at step " +
            $"{progress.BestStep} | run: {launched.Run.Path}"));
        return (cancel.IsCancellationRequested ? Interrupted : 0, launched);
    }

    private static string DataLine(RunConfig config, PreparedCorpus corpus, double milliseconds)
    {
        var mode = config.Data.Mode == CorpusMode.Documents
            ? $"{corpus.Train.DocumentCount:N0} train / {corpus.Validation.DocumentCount:N0} val documents"
            : $"{corpus.Train.Ids.Length:N0} train / {corpus.Validation.Ids.Length:N0} val characters";
        if (corpus.Classes is { } classes)
        {
            mode += $" | {classes.Count} classes";
        }
        var source = corpus.FromCache ? "from cache" : "prepared";
        return string.Create(CultureInfo.InvariantCulture,
            $"data: {config.Data.Path} | {mode} | vocab {corpus.Vocabulary.Count} | {source} in {milliseconds:F0} ms");
    }
}

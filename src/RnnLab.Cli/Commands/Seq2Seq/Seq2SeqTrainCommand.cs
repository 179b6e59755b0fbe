using System.Diagnostics;
using RnnLab.Cli.Output;
using RnnLab.Models;
using RnnLab.Seq2Seq;

namespace RnnLab.Cli.Commands.Seq2Seq;

/// <summary>
/// <c>rnnlab seq2seq train</c>: read, filter, split, train, decode the test split greedily and by beam.
/// </summary>
public sealed class Seq2SeqTrainCommand : Command<Seq2SeqTrainSettings>
{
    public override int Execute(CommandContext context, Seq2SeqTrainSettings settings, CancellationToken cancel)
    {
        var baseConfig = settings.Config is { } file ? Seq2SeqConfig.FromJsonFile(file) : new Seq2SeqConfig();
        var config = Seq2SeqConfigBuilder.Apply(baseConfig, settings);
        if (settings.DryRun && config.Train is { Steps: 0, Epochs: 0, TimeLimitSeconds: 0 })
        {
            config = config with { Train = config.Train with { Steps = 1 } };
        }
        var device = Devices.Resolve(settings.Device);
        var observer = new ConsoleObserver();
        var clock = Stopwatch.StartNew();
        var data = PreparedPairs.Prepare(config);
        observer.Line(DataLine(config, data, clock.Elapsed.TotalMilliseconds));
        if (settings.DryRun)
        {
            observer.Line(Seq2SeqLauncher.DryRun(config, data, device));
            return 0;
        }
        var (run, result) = observer.Run(() =>
            Seq2SeqLauncher.Launch(config, data, settings.Out, observer, device, cancel));
        observer.Line(string.Create(CultureInfo.InvariantCulture,
            $"stopped: {result.StopReason} | step {result.Steps} | best epoch {result.BestEpoch} (val loss " +
            $"{result.BestValidationLoss:F4})"));
        if (result.Greedy is not { } greedy)
        {
            observer.Line($"run: {run.Path} (last.ckpt, best.ckpt; no test figures)");
            return TrainCommand.Interrupted;
        }
        observer.Line($"test split, best epoch, greedy: {greedy.Metrics.Format()}");
        if (result.Beam is { } beam)
        {
            observer.Line($"test split, best epoch, {beam.Method}: {beam.Metrics.Format()}");
        }
        observer.Line($"run: {run.Path} (test-metrics.json, test-outputs.tsv, best.ckpt)");
        return cancel.IsCancellationRequested ? TrainCommand.Interrupted : 0;
    }

    private static string DataLine(Seq2SeqConfig config, PreparedPairs data, double milliseconds)
    {
        var splits = data.Splits;
        return string.Create(CultureInfo.InvariantCulture,
            $"data: {config.Data.Path} | {data.Data.LinesRead:N0} pairs read, {data.Data.Pairs.Count:N0} kept | " +
            $"{splits.Train.Length:N0} train / {splits.Validation.Length:N0} val / {splits.Test.Length:N0} test | " +
            $"vocab {data.Source.Count} -> {data.Target.Count} | read in {milliseconds:F0} ms");
    }
}

using System.Diagnostics;
using RnnLab.Classification;
using RnnLab.Cli.Output;
using RnnLab.Models;

namespace RnnLab.Cli.Commands.Classify;

/// <summary><c>rnnlab classify train</c>: read, split, train, pick the best epoch, report test metrics.</summary>
public sealed class ClassifyTrainCommand : Command<ClassifyTrainSettings>
{
    public override int Execute(CommandContext context, ClassifyTrainSettings settings, CancellationToken cancel)
    {
        var baseConfig = settings.Config is { } file ? ClassifyConfig.FromJsonFile(file) : new ClassifyConfig();
        var config = ClassifyConfigBuilder.Apply(baseConfig, settings);
        if (settings.DryRun && config.Train is { Steps: 0, Epochs: 0, TimeLimitSeconds: 0 })
        {
            config = config with { Train = config.Train with { Steps = 1 } };
        }
        var device = Devices.Resolve(settings.Device);
        var observer = new ConsoleObserver();
        var clock = Stopwatch.StartNew();
        var data = PreparedLabels.Prepare(config);
        observer.Line(DataLine(config, data, clock.Elapsed.TotalMilliseconds));
        if (settings.DryRun)
        {
            observer.Line(ClassifierLauncher.DryRun(config, data, device));
            return 0;
        }
        var (run, result) = observer.Run(() =>
            ClassifierLauncher.Launch(config, data, settings.Out, observer, device, cancel));
        observer.Line(string.Create(CultureInfo.InvariantCulture,
            $"stopped: {result.StopReason} | step {result.Steps} | best epoch {result.BestEpoch} (val accuracy " +
            $"{result.BestValidation.Metrics.Accuracy:F4}, macro-F1 {result.BestValidation.Metrics.MacroF1:F4})"));
        observer.Line("test split, best epoch:");
        observer.Line(result.Test.Metrics.ToText().TrimEnd());
        observer.Line($"run: {run.Path} (confusion-test.png, test-metrics.json, best.ckpt)");
        return cancel.IsCancellationRequested ? TrainCommand.Interrupted : 0;
    }

    private static string DataLine(ClassifyConfig config, PreparedLabels data, double milliseconds)
    {
        var splits = data.Splits;
        var dropped = data.Data.DuplicatesDropped > 0
            ? $" | {data.Data.DuplicatesDropped:N0} duplicate items dropped (--keep-duplicates keeps them)"
            : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"data: {config.Data.Path} | {data.Classes.Count} classes | {splits.Train.Length:N0} train / " +
            $"{splits.Validation.Length:N0} val / {splits.Test.Length:N0} test items{dropped} | " +
            $"vocab {data.Vocabulary.Count} | read in {milliseconds:F0} ms");
    }
}

using System.Diagnostics;
using RnnLab.Configuration;
using RnnLab.Tracking;
using RnnLab.Training;

namespace RnnLab.Classification;

/// <summary>What a front end shows while a classifier trains.</summary>
public interface IClassifierObserver
{
    void Started(long? totalSteps, double? timeLimitSeconds);

    /// <summary>After every step; keep it cheap.</summary>
    void Stepped(long step, double elapsedSeconds);

    void Line(string text);
}

/// <summary>How a classifier run ended: why, where, and the best checkpoint's test metrics.</summary>
public sealed record ClassifierResult(string StopReason, long Steps, int BestEpoch, ClassifierEvaluation BestValidation,
    ClassifierEvaluation Test);

/// <summary>
/// Trains a <see cref="SequenceClassifier"/>: length-grouped batches, cross-entropy (optionally class
/// weighted) on each item's class, clipping, and after every epoch the validation metrics, last.ckpt
/// and, when the chosen figure improved, best.ckpt. At the end the best weights meet the test split.
/// </summary>
public sealed class ClassifierTrainer : IDisposable
{
    // after this many steps of a time-limited run the speed is known well enough to place the cosine end
    private const int HorizonProbeSteps = 50;

    private readonly ClassifyConfig config;
    private readonly PreparedLabels data;
    private readonly RunFolder run;
    private readonly IClassifierObserver observer;
    private readonly ItemBatches train;
    private readonly ItemBatches validation;
    private readonly ItemBatches test;
    private readonly Tensor? classWeights;
    private readonly Parameter[] parameters;
    private readonly OptimizerHelper optimizer;
    private readonly LearningRateSchedule schedule;
    private readonly Stopwatch clock = new();
    private long step;
    private int epoch;
    private byte[]? bestWeights;
    private double bestScore = double.NegativeInfinity;
    private int bestEpoch;
    private ClassifierEvaluation? bestValidation;

    public ClassifierTrainer(ClassifyConfig config, PreparedLabels data, RunFolder run, IClassifierObserver observer,
        Device device)
    {
        this.config = config;
        this.data = data;
        this.run = run;
        this.observer = observer;
        torch.manual_seed(config.Train.Seed);
        Model = new SequenceClassifier(config.Model, data.Vocabulary.Count, data.Classes.Count).to(device);
        var batchSize = config.Train.BatchSize;
        train = new ItemBatches(data.Splits.Train, data.Vocabulary, batchSize, device);
        validation = new ItemBatches(data.Splits.Validation, data.Vocabulary, Math.Max(batchSize, 256), device);
        test = new ItemBatches(data.Splits.Test, data.Vocabulary, Math.Max(batchSize, 256), device);
        var weights = config.Train.Imbalance switch
        {
            Imbalance.Weighted => ItemBatches.ClassWeights(data.Splits.Train, data.Classes.Count),
            Imbalance.SqrtWeighted => ItemBatches.ClassWeights(data.Splits.Train, data.Classes.Count, 0.5),
            _ => null,
        };
        classWeights = weights is null ? null : torch.tensor(weights, device: device);
        parameters = Model.parameters().ToArray();
        optimizer = OptimizerFactory.Create(config.Optim, parameters);
        schedule = new LearningRateSchedule(config.Optim);
    }

    public SequenceClassifier Model { get; }

    public ClassifierResult Run(CancellationToken cancel = default)
    {
        clock.Restart();
        var limits = config.Train;
        long? epochSteps = limits.Epochs > 0 ? (long)limits.Epochs * train.BatchesPerEpoch : null;
        long? totalSteps = limits.Steps > 0 ? Math.Min(limits.Steps, epochSteps ?? long.MaxValue) : epochSteps;
        schedule.SetHorizon(totalSteps ?? long.MaxValue);
        observer.Started(totalSteps, limits.TimeLimitSeconds > 0 ? limits.TimeLimitSeconds : null);
        string? stop = null;
        var epochsWithoutGain = 0;
        while (stop is null)
        {
            var interval = new RunningLoss();
            var stepsThisEpoch = 0;
            foreach (var indices in train.Plan(epoch, limits.Seed, limits.Imbalance))
            {
                stop = StopReason(cancel);
                if (stop is not null)
                {
                    break;
                }
                interval.Add(Step(indices), indices.Length);
                stepsThisEpoch++;
                observer.Stepped(step, clock.Elapsed.TotalSeconds);
                if (step % limits.LogEvery == 0)
                {
                    Log(interval);
                    interval = new RunningLoss();
                }
            }
            if (stop is not null && stepsThisEpoch == 0)
            {
                break; // the limit fell on an epoch boundary: that epoch was evaluated already
            }
            var improved = EndEpoch();
            epochsWithoutGain = improved ? 0 : epochsWithoutGain + 1;
            epoch++;
            stop ??= limits.Epochs > 0 && epoch >= limits.Epochs ? $"reached {limits.Epochs} epochs"
                : limits.Patience > 0 && epochsWithoutGain >= limits.Patience
                    ? $"early stop: {limits.Patience} epochs without improvement"
                    : null;
        }
        return Finish(stop);
    }

    private float Step(int[] indices)
    {
        using var scope = torch.NewDisposeScope();
        using var batch = train.Batch(indices);
        step++;
        OptimizerFactory.SetLearningRate(optimizer, schedule.At(step));
        var logits = Model.forward(batch.Ids, batch.Lengths); // (B, K)
        var loss = nn.functional.cross_entropy(logits, batch.Labels, classWeights);
        optimizer.zero_grad();
        loss.backward();
        if (config.Optim.ClipMode == ClipMode.Norm)
        {
            nn.utils.clip_grad_norm_(parameters, config.Optim.Clip);
        }
        else if (config.Optim.ClipMode == ClipMode.Value)
        {
            nn.utils.clip_grad_value_(parameters, config.Optim.Clip);
        }
        optimizer.step();
        var value = loss.item<float>();
        if (!float.IsFinite(value))
        {
            throw new TrainingFailedException(
                $"the loss was non-finite at step {step}; lower --lr (was " +
                $"{config.Optim.LearningRate.ToString(CultureInfo.InvariantCulture)}) or --clip and try again");
        }
        return value;
    }

    private void Log(RunningLoss interval)
    {
        var seconds = Math.Max(interval.Clock.Elapsed.TotalSeconds, 1e-9);
        var rate = schedule.At(step);
        run.AppendMetrics(new Dictionary<string, object?>
        {
            ["kind"] = "train", ["step"] = step, ["epoch"] = epoch + 1, ["loss"] = interval.Mean, ["lr"] = rate,
            ["items_per_s"] = interval.Items / seconds,
        });
        observer.Line(string.Create(CultureInfo.InvariantCulture,
            $"step {step} | epoch {epoch + 1} | loss {interval.Mean:F4} | lr {rate:0.0e+00} | " +
            $"{interval.Items / seconds:N0} items/s"));
        ReestimateHorizon();
    }

    // validation metrics, checkpoints; true when the chosen figure improved
    private bool EndEpoch()
    {
        var result = ClassifierEvaluator.Evaluate(Model, validation, data.Splits.Validation, data.Classes);
        var score = config.Train.SelectBy switch
        {
            SelectBy.Accuracy => result.Metrics.Accuracy,
            SelectBy.MacroF1 => result.Metrics.MacroF1,
            _ => -result.Loss,
        };
        var improved = score > bestScore;
        schedule.OnEvaluation(result.Loss);
        run.AppendMetrics(new Dictionary<string, object?>
        {
            ["kind"] = "eval", ["step"] = step, ["epoch"] = epoch + 1, ["val_loss"] = result.Loss,
            ["val_accuracy"] = result.Metrics.Accuracy, ["val_macro_f1"] = result.Metrics.MacroF1,
            ["improved"] = improved, ["val"] = result.Metrics.ToRecord(),
        });
        observer.Line(string.Create(CultureInfo.InvariantCulture,
            $"eval epoch {epoch + 1} | step {step} | val loss {result.Loss:F4} | accuracy " +
            $"{result.Metrics.Accuracy:F4} | macro-F1 {result.Metrics.MacroF1:F4}{(improved ? " *" : "")}"));
        var weights = StateBytes.Model(Model);
        Save(run.Last, weights, result);
        if (improved)
        {
            (bestScore, bestEpoch, bestWeights, bestValidation) = (score, epoch + 1, weights, result);
            Save(run.Best, weights, result);
        }
        ReestimateHorizon();
        return improved;
    }

    // the best weights meet the test split once, at the end
    private ClassifierResult Finish(string? stop)
    {
        if (bestWeights is null)
        {
            EndEpoch(); // stopped before the first evaluation: evaluate what there is
        }
        StateBytes.LoadModel(Model, bestWeights!);
        var result = ClassifierEvaluator.Evaluate(Model, test, data.Splits.Test, data.Classes);
        Report("val", bestValidation!);
        Report("test", result);
        return new ClassifierResult(stop ?? "done", step, bestEpoch, bestValidation!, result);
    }

    // <split>-metrics.json, confusion-<split>.txt and confusion-<split>.png for the best epoch
    private void Report(string split, ClassifierEvaluation result)
    {
        var record = result.Metrics.ToRecord();
        record["loss"] = result.Loss;
        record["best_epoch"] = bestEpoch;
        run.WriteText($"{split}-metrics.json", System.Text.Json.JsonSerializer.Serialize(record) + "\n");
        run.WriteText($"confusion-{split}.txt", result.Metrics.ToText());
        var accuracy = result.Metrics.Accuracy.ToString("F3", CultureInfo.InvariantCulture);
        var name = split == "val" ? "Validation" : "Test";
        ConfusionPlot.Save(result.Metrics, run.File($"confusion-{split}.png"),
            $"{name} confusion, best epoch {bestEpoch} (accuracy {accuracy})");
    }

    private void Save(string path, byte[] weights, ClassifierEvaluation result)
    {
        var manifest = new ClassifierManifest
        {
            Created = DateTimeOffset.UtcNow,
            Config = config,
            Vocabulary = data.Vocabulary.Characters,
            Classes = data.Classes,
            DataHash = data.Data.DataHash,
            Epoch = epoch + 1,
            Step = step,
            ValidationLoss = result.Loss,
            ValidationAccuracy = result.Metrics.Accuracy,
            ValidationMacroF1 = result.Metrics.MacroF1,
        };
        ClassifierCheckpoint.Save(path, manifest, weights);
    }

    private string? StopReason(CancellationToken cancel)
    {
        var limits = config.Train;
        return cancel.IsCancellationRequested ? RunStatus.Interrupted
            : limits.Steps > 0 && step >= limits.Steps ? $"reached step {limits.Steps}"
            : limits.TimeLimitSeconds > 0 && clock.Elapsed.TotalSeconds >= limits.TimeLimitSeconds
                ? $"reached the time limit ({limits.TimeLimitSeconds.ToString(CultureInfo.InvariantCulture)} s)"
                : null;
    }

    // a time-limited cosine run decays over the steps that fit in the time left
    private void ReestimateHorizon()
    {
        var limits = config.Train;
        if (limits.TimeLimitSeconds <= 0 || step < HorizonProbeSteps)
        {
            return;
        }
        var seconds = clock.Elapsed.TotalSeconds;
        var estimate = step + (long)(Math.Max(0, limits.TimeLimitSeconds - seconds) * step / seconds);
        var epochSteps = limits.Epochs > 0 ? (long)limits.Epochs * train.BatchesPerEpoch : long.MaxValue;
        schedule.SetHorizon(Math.Min(Math.Min(estimate, limits.Steps > 0 ? limits.Steps : long.MaxValue), epochSteps));
    }

    private sealed class RunningLoss
    {
        private double sum;
        private int steps;

        public long Items { get; private set; }

        public Stopwatch Clock { get; } = Stopwatch.StartNew();

        public double Mean => steps == 0 ? double.NaN : sum / steps;

        public void Add(float loss, int items)
        {
            sum += loss;
            steps++;
            Items += items;
        }
    }

    public void Dispose()
    {
        classWeights?.Dispose();
        optimizer.Dispose();
        Model.Dispose();
    }
}

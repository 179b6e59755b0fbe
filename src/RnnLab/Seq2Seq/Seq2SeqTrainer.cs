using System.Diagnostics;
using System.Text.Json;
using RnnLab.Classification;
using RnnLab.Configuration;
using RnnLab.Data;
using RnnLab.Tracking;
using RnnLab.Training;

namespace RnnLab.Seq2Seq;

/// <summary>How a seq2seq run ended: why, where, and the best checkpoint's test figures (none when it
/// was interrupted: the test split is not decoded then).</summary>
public sealed record Seq2SeqResult(string StopReason, long Steps, int BestEpoch, double BestValidationLoss,
    DecodedSplit? Greedy, DecodedSplit? Beam);

/// <summary>
/// Trains a <see cref="Seq2SeqModel"/>: length-grouped batches, masked cross-entropy on the target
/// characters, clipping; after every epoch the validation loss and greedy figures, last.ckpt and,
/// when the loss improved, best.ckpt. At the end the best weights decode the test split greedily and
/// with beam search.
/// </summary>
public sealed class Seq2SeqTrainer : IDisposable
{
    private const int HorizonProbeSteps = 50;
    private const int SamplesShown = 3;

    private const string Interrupted = RunStatus.Interrupted;

    private readonly Seq2SeqConfig config;
    private readonly PreparedPairs data;
    private readonly RunFolder run;
    private readonly IClassifierObserver observer;
    private readonly PairBatches train;
    private readonly PairBatches validation;
    private readonly Parameter[] parameters;
    private readonly OptimizerHelper optimizer;
    private readonly LearningRateSchedule schedule;
    private readonly Random forcing;
    private readonly int maxOutput;
    private readonly Stopwatch clock = new();
    private long step;
    private int epoch;
    private byte[]? bestWeights;
    private double bestLoss = double.PositiveInfinity;
    private int bestEpoch;

    public Seq2SeqTrainer(Seq2SeqConfig config, PreparedPairs data, RunFolder run, IClassifierObserver observer,
        Device device)
    {
        this.config = config;
        this.data = data;
        this.run = run;
        this.observer = observer;
        torch.manual_seed(config.Train.Seed);
        Model = new Seq2SeqModel(config.Model, data.Source.Count, data.Target.Count).to(device);
        train = new PairBatches(data.Splits.Train, data.Source, data.Target, config.Train.BatchSize, device);
        validation = new PairBatches(data.Splits.Validation, data.Source, data.Target,
            Math.Max(config.Train.BatchSize, 256), device);
        parameters = Model.parameters().ToArray();
        optimizer = OptimizerFactory.Create(config.Optim, parameters);
        schedule = new LearningRateSchedule(config.Optim);
        forcing = new Random(config.Train.Seed);
        maxOutput = data.MaxOutput(config);
    }

    public Seq2SeqModel Model { get; }

    public long Step => step;

    public Seq2SeqResult Run(CancellationToken cancel = default)
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
            foreach (var indices in train.Plan(epoch, limits.Seed))
            {
                stop = StopReason(cancel);
                if (stop is not null)
                {
                    break;
                }
                interval.Add(TrainStep(indices), indices.Length);
                stepsThisEpoch++;
                observer.Stepped(step, clock.Elapsed.TotalSeconds);
                if (step % limits.LogEvery == 0)
                {
                    Log(interval);
                    interval = new RunningLoss();
                }
            }
            if (stop is not null && stepsThisEpoch == 0 && bestWeights is not null)
            {
                break; // the limit fell on an epoch boundary: that epoch was evaluated already
            }
            bool improved;
            try
            {
                improved = EndEpoch(cancel, interrupted: stop == Interrupted);
            }
            catch (OperationCanceledException)
            {
                // the signal came during the evaluation: save what was learnt since the last one
                stop = Interrupted;
                improved = EndEpoch(cancel, interrupted: true);
            }
            epochsWithoutGain = improved ? 0 : epochsWithoutGain + 1;
            epoch++;
            stop ??= limits.Epochs > 0 && epoch >= limits.Epochs ? $"reached {limits.Epochs} epochs"
                : limits.Patience > 0 && epochsWithoutGain >= limits.Patience
                    ? $"early stop: {limits.Patience} epochs without improvement"
                    : null;
        }
        return Finish(stop, cancel);
    }

    private float TrainStep(int[] indices)
    {
        using var scope = torch.NewDisposeScope();
        using var batch = train.Batch(indices);
        step++;

        // learning rate, forward (teacher-forced where the ratio says), masked loss, backward, clip, step
        OptimizerFactory.SetLearningRate(optimizer, schedule.At(step));
        var logits = Model.forward(batch, config.Train.TeacherForcing, forcing); // (B, T, V)
        var loss = Seq2SeqModel.Loss(logits, batch.Target);
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
            ["pairs_per_s"] = interval.Items / seconds, ["elapsed_s"] = clock.Elapsed.TotalSeconds,
        });
        observer.Line(string.Create(CultureInfo.InvariantCulture,
            $"step {step} | epoch {epoch + 1} | loss {interval.Mean:F4} | lr {rate:0.0e+00} | " +
            $"{interval.Items / seconds:N0} pairs/s | {clock.Elapsed.TotalSeconds:F0} s"));
        ReestimateHorizon();
    }

    // validation loss and greedy figures, samples, checkpoints; true when the loss improved. An
    // interrupted run reads a few validation batches and saves last.ckpt (best.ckpt only if it has
    // none yet: a loss from part of the split is not compared with whole-split ones)
    private bool EndEpoch(CancellationToken cancel, bool interrupted)
    {
        if (interrupted)
        {
            var partial = Seq2SeqEvaluator.Loss(Model, validation, maxBatches: Evaluator.StopBatches);
            run.AppendMetrics(new Dictionary<string, object?>
            {
                ["kind"] = "eval", ["step"] = step, ["epoch"] = epoch + 1, ["val_loss"] = partial,
                ["val_batches"] = Evaluator.StopBatches, ["improved"] = false,
                ["elapsed_s"] = clock.Elapsed.TotalSeconds,
            });
            observer.Line(string.Create(CultureInfo.InvariantCulture,
                $"eval (interrupted) | step {step} | val loss {partial:F4} on {Evaluator.StopBatches} batches"));
            var saved = StateBytes.Model(Model);
            Save(run.Last, saved, partial);
            if (bestWeights is null)
            {
                (bestLoss, bestEpoch, bestWeights) = (partial, epoch + 1, saved);
                Save(run.Best, saved, partial);
            }
            return false;
        }
        var loss = Seq2SeqEvaluator.Loss(Model, validation, cancel);
        var greedy = Seq2SeqEvaluator.Decode(Model, data.Splits.Validation, data.Source, data.Target, 1, 0,
            maxOutput, cancel: cancel);
        var improved = loss < bestLoss;
        schedule.OnEvaluation(loss);
        run.AppendMetrics(new Dictionary<string, object?>
        {
            ["kind"] = "eval", ["step"] = step, ["epoch"] = epoch + 1, ["val_loss"] = loss,
            ["val_cer"] = greedy.Metrics.CharacterErrorRate, ["val_exact_match"] = greedy.Metrics.ExactMatch,
            ["val_bleu"] = greedy.Metrics.Bleu, ["val_chrf"] = greedy.Metrics.Chrf, ["improved"] = improved,
            ["elapsed_s"] = clock.Elapsed.TotalSeconds,
        });
        observer.Line(string.Create(CultureInfo.InvariantCulture,
            $"eval epoch {epoch + 1} | step {step} | val loss {loss:F4} | greedy {greedy.Metrics.Format()}" +
            $"{(improved ? " *" : "")}"));
        var samples = Enumerable.Range(0, Math.Min(SamplesShown, greedy.Outputs.Length))
            .Select(i => $"{data.Splits.Validation[i].Source} -> {greedy.Outputs[i]} " +
                $"(reference: {data.Splits.Validation[i].Target})")
            .ToArray();
        run.AppendSample(step, string.Join("\n", samples));
        foreach (var sample in samples)
        {
            observer.Line("  sample | " + sample);
        }
        var weights = StateBytes.Model(Model);
        Save(run.Last, weights, loss);
        if (improved)
        {
            (bestLoss, bestEpoch, bestWeights) = (loss, epoch + 1, weights);
            Save(run.Best, weights, loss);
        }
        ReestimateHorizon();
        return improved;
    }

    // the best weights decode the test split once, greedily and with the beam
    private Seq2SeqResult Finish(string? stop, CancellationToken cancel)
    {
        if (stop == Interrupted || cancel.IsCancellationRequested)
        {
            observer.Line("interrupted: the test split was not decoded (last.ckpt and best.ckpt are saved)");
            return new Seq2SeqResult(Interrupted, step, bestEpoch, bestLoss, null, null);
        }
        StateBytes.LoadModel(Model, bestWeights!);
        var test = data.Splits.Test;
        observer.Line($"decoding {test.Length:N0} test pairs: greedy, then beam {config.Train.Beam}");
        var greedy = Seq2SeqEvaluator.Decode(Model, test, data.Source, data.Target, 1, 0, maxOutput,
            cancel: cancel);
        DecodedSplit? beam = null;
        if (config.Train.Beam > 1 && !cancel.IsCancellationRequested)
        {
            var shown = Stopwatch.StartNew();
            beam = Seq2SeqEvaluator.Decode(Model, test, data.Source, data.Target, config.Train.Beam,
                config.Train.LengthPenalty, maxOutput, done =>
                {
                    if (shown.Elapsed.TotalSeconds >= 10 || done == test.Length)
                    {
                        observer.Line($"  beam search: {done:N0}/{test.Length:N0} test pairs");
                        shown.Restart();
                    }
                }, cancel);
        }
        var record = new Dictionary<string, object?>
        {
            ["best_epoch"] = bestEpoch, ["val_loss"] = bestLoss, ["greedy"] = greedy.Metrics.ToRecord(),
            ["beam"] = beam?.Metrics.ToRecord(), ["beam_width"] = config.Train.Beam,
            ["length_penalty"] = config.Train.LengthPenalty,
        };
        run.WriteText("test-metrics.json", JsonSerializer.Serialize(record) + "\n");
        var lines = test.Select((p, i) => $"{p.Source}\t{p.Target}\t{greedy.Outputs[i]}" +
            (beam is null ? "" : $"\t{beam.Outputs[i]}"));
        run.WriteText("test-outputs.tsv", "source\treference\tgreedy" + (beam is null ? "" : "\tbeam") + "\n" +
            string.Join("\n", lines) + "\n");
        return new Seq2SeqResult(stop ?? "done", step, bestEpoch, bestLoss, greedy, beam);
    }

    private void Save(string path, byte[] weights, double loss)
    {
        var manifest = new Seq2SeqManifest
        {
            Created = DateTimeOffset.UtcNow,
            Config = config,
            SourceVocabulary = data.Source.Characters,
            TargetVocabulary = data.Target.Characters,
            MaxOutput = maxOutput,
            DataHash = data.Data.DataHash,
            Epoch = epoch + 1,
            Step = step,
            ValidationLoss = loss,
        };
        Seq2SeqCheckpoint.Save(path, manifest, weights);
    }

    private string? StopReason(CancellationToken cancel)
    {
        var limits = config.Train;
        return cancel.IsCancellationRequested ? Interrupted
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
        optimizer.Dispose();
        Model.Dispose();
    }
}

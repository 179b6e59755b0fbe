using RnnLab.Checkpoints;
using RnnLab.Configuration;
using RnnLab.Data;
using RnnLab.Models;
using RnnLab.Sampling;

namespace RnnLab.Training;

// checkpoints, resuming, recovery from non-finite losses, the cosine horizon, evaluation samples
public sealed partial class Trainer
{
    // after this many steps of a time-limited run, the speed is known well enough to place the
    // cosine schedule's end
    private const int HorizonProbeSteps = 50;

    /// <summary>Continues from a checkpoint: weights, optimizer, schedule, RNG, data position, state.</summary>
    public void Resume(Checkpoint checkpoint)
    {
        checkpoint.LoadWeights(Model);
        StateBytes.LoadOptimizer(Optimizer, checkpoint.Entry("optimizer.bin"));
        StateBytes.SetRng(checkpoint.Entry("rng.bin"));
        hidden?.Dispose();
        hidden = StateBytes.LoadHidden(checkpoint.Entry("hidden.bin"), Model.Device());
        progress = checkpoint.Manifest.Progress;
        stepEpoch = progress.Epoch;
        schedule.State = checkpoint.Manifest.Schedule;
        lastEvaluatedStep = progress.Step;
        lastGood = StateBytes.Model(Model);
        if (professor is not null)
        {
            StateBytes.LoadModel(professor.Discriminator, checkpoint.Entry(DiscriminatorEntry));
            StateBytes.LoadOptimizer(professor.Optimizer, checkpoint.Entry(DiscriminatorOptimizerEntry));
            professor.Gate.RunningAccuracy = BitConverter.ToDouble(checkpoint.Entry(GateEntry));
        }
    }

    // Professor Forcing's discriminator, its optimizer and its gate's running accuracy
    private const string DiscriminatorEntry = "discriminator.bin";
    private const string DiscriminatorOptimizerEntry = "discriminator-optimizer.bin";
    private const string GateEntry = "discriminator-gate.bin";

    /// <summary>Fine-tuning: starts from a checkpoint's weights with a fresh optimizer and schedule.</summary>
    public void InitializeFrom(Checkpoint checkpoint)
    {
        checkpoint.LoadWeights(Model);
        lastGood = StateBytes.Model(Model);
    }

    private void SaveCheckpoint(string path, double? validationLoss = null)
    {
        var manifest = new CheckpointManifest
        {
            Created = DateTimeOffset.UtcNow,
            Config = config,
            Vocabulary = corpus.Vocabulary.Characters,
            Classes = corpus.Classes,
            DataHash = corpus.DataHash,
            Progress = Timed(progress),
            Schedule = schedule.State,
            ValidationLoss = validationLoss ?? lastEvaluation?.Loss,
        };
        var entries = new Dictionary<string, byte[]>
        {
            ["model.bin"] = StateBytes.Model(Model),
            ["optimizer.bin"] = StateBytes.Optimizer(Optimizer),
            ["rng.bin"] = StateBytes.Rng(),
            ["hidden.bin"] = StateBytes.Hidden(hidden),
        };
        if (professor is not null)
        {
            entries[DiscriminatorEntry] = StateBytes.Model(professor.Discriminator);
            entries[DiscriminatorOptimizerEntry] = StateBytes.Optimizer(professor.Optimizer);
            entries[GateEntry] = BitConverter.GetBytes(professor.Gate.RunningAccuracy);
        }
        Checkpoint.Save(path, manifest, entries);
    }

    private TrainingProgress Timed(TrainingProgress state) =>
        state with { TrainSeconds = trainSecondsBefore + runClock.Elapsed.TotalSeconds };

    private void RecoverFromNonFinite(long step, string what)
    {
        nonFiniteInARow++;
        progress = progress with { NonFiniteSteps = progress.NonFiniteSteps + 1 };
        if (nonFiniteInARow >= config.Train.MaxNonFinite)
        {
            var saved = File.Exists(run.Last)
                ? $"The checkpoints in {run.Path} hold the last good state; lower --lr"
                : "No checkpoint had been written yet; lower --lr";
            throw new TrainingFailedException(
                $"the loss was non-finite {nonFiniteInARow} steps in a row (last at step {step}); training " +
                $"stopped. {saved} (was {config.Optim.LearningRate.ToString(CultureInfo.InvariantCulture)}) " +
                "or --clip and try again");
        }

        // roll back to the last evaluated weights, with a fresh optimizer (momentum and moment
        // estimates gathered on the way to the failure are suspect), halve the rate, restart the state
        StateBytes.LoadModel(Model, lastGood);
        Optimizer.Dispose();
        Optimizer = OptimizerFactory.Create(config.Optim, parameters);
        schedule.CutAfterNonFinite(0.5);
        hidden?.Dispose();
        hidden = null;
        var rate = schedule.At(step).ToString("0.0e+00", CultureInfo.InvariantCulture);
        run.AppendMetrics(new Dictionary<string, object?>
        {
            ["kind"] = "non_finite", ["step"] = step, ["lr"] = schedule.At(step),
        });
        observer.Note(
            $"step {step}: non-finite {what}; restored the last good weights, learning rate now {rate}");
    }

    private void InitHorizon()
    {
        if (config.Optim.Schedule != ScheduleKind.Cosine || schedule.State.Horizon > 0)
        {
            return;
        }
        if (config.Train.Steps > 0 || config.Train.Epochs > 0)
        {
            schedule.SetHorizon(Math.Min(config.Train.Steps > 0 ? config.Train.Steps : long.MaxValue,
                EpochSteps() ?? long.MaxValue));
        }
    }

    // a time-limited cosine run decays over the steps that fit in the time left, re-estimated at
    // each evaluation from the measured speed (evaluation time included)
    private void ReestimateHorizon(long stepsThisRun, double seconds)
    {
        if (config.Optim.Schedule != ScheduleKind.Cosine || config.Train.TimeLimitSeconds <= 0
            || stepsThisRun < HorizonProbeSteps)
        {
            return;
        }
        var left = Math.Max(0, config.Train.TimeLimitSeconds - seconds);
        var estimate = progress.Step + (long)(left * stepsThisRun / seconds);
        var bound = config.Train.Steps > 0 ? config.Train.Steps : long.MaxValue;
        schedule.SetHorizon(Math.Min(Math.Min(estimate, bound), EpochSteps() ?? long.MaxValue));
    }

    // documents mode regroups batches every epoch, so this is close rather than exact
    private long? EpochSteps() => config.Train.Epochs > 0 ? config.Train.Epochs * windowsPerEpoch.Value : null;

    private IReadOnlyList<string> Samples()
    {
        if (config.Train.SampleLength == 0)
        {
            return [];
        }
        var documents = config.Data.Mode == CorpusMode.Documents;
        var sampler = new Sampler(Model, corpus.Vocabulary, config.Data.Mode);

        // a fixed seed per step: samples are comparable across evaluations and never touch the
        // training RNG, so a resumed run stays identical
        var options = new SampleOptions
        {
            Length = config.Train.SampleLength,
            NumSamples = documents ? 3 : 1,
            Temperature = 0.8,
            Seed = config.Train.Seed + progress.Step,
        };
        var samples = corpus.Classes is { } classes
            ? Enumerable.Range(0, 3).Select(i => i * classes.Count / 3).Distinct()
                .Select(c => $"[{classes[c]}] " + sampler.Generate(options with { NumSamples = 1, ClassIndex = c })[0])
                .ToArray()
            : sampler.Generate(options);
        foreach (var sample in samples)
        {
            run.AppendSample(progress.Step, sample);
        }
        return samples;
    }
}

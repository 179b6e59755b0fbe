using System.Text.Json;
using RnnLab.Checkpoints;
using RnnLab.Configuration;
using RnnLab.Data;
using RnnLab.Models;
using RnnLab.Tracking;

namespace RnnLab.Training;

/// <summary>What to launch: a new run, a resumed one, or a fine-tuning run from a checkpoint.</summary>
public sealed record LaunchOptions
{
    public required RunConfig Config { get; init; }

    /// <summary>The new run's folder (null: runs/&lt;time&gt;-&lt;name&gt;).</summary>
    public string? Out { get; init; }

    /// <summary>Continue this run (its folder and last checkpoint) exactly where it stopped.</summary>
    public Checkpoint? Resume { get; init; }

    /// <summary>Fine-tune: start from this checkpoint's vocabulary, model config and weights.</summary>
    public Checkpoint? InitFrom { get; init; }

    /// <summary>Where prepared corpora are cached (null: no cache).</summary>
    public string? CacheDir { get; init; }

    public Device Device { get; init; } = torch.CPU;

    /// <summary>
    /// The library's hook for losses on hidden states, added to the config's. They are code, not config:
    /// a resumed run gets them only when they are passed again.
    /// </summary>
    public IReadOnlyList<IHiddenStateLoss> HiddenStateLosses { get; init; } = [];

    /// <summary>
    /// The runs root whose registry (registry.db) records the run as it starts and ends, when the run
    /// is inside it and no nearer folder above the run holds a registry.
    /// </summary>
    public string RunsRoot { get; init; } = "runs";
}

public sealed record LaunchResult(RunFolder Run, TrainingResult Result, PreparedCorpus Corpus);

/// <summary>Prepares the data and the run folder, then trains: the whole of <c>rnnlab train</c>.</summary>
public static class RunLauncher
{
    public static PreparedCorpus PrepareCorpus(LaunchOptions options)
    {
        if (options.Resume is { } resume && !resume.HasEntry("optimizer.bin"))
        {
            // an imported checkpoint holds weights only
            throw new RnnLabException($"--resume {resume.Path}: the checkpoint has no optimizer state (it was " +
                $"imported); continue from its weights with --init-from {resume.Path} --data FILE");
        }
        options.Config.Validate();
        var vocabulary = (options.Resume ?? options.InitFrom)?.Vocabulary;
        return CorpusPreparer.Prepare(options.Config.Data, options.Config.Train.Seed, vocabulary, options.CacheDir);
    }

    public static LaunchResult Launch(
        LaunchOptions options,
        PreparedCorpus corpus,
        ITrainingObserver observer,
        CancellationToken cancel = default)
    {
        var config = options.Config;

        // a split too small for one batch, or a model too big for memory, fails here, before the
        // run folder exists
        WindowSources.Check(config.Data, corpus);
        MemoryEstimate.Check(config, corpus.Vocabulary.Count);
        if (options.InitFrom is { } source && !(source.Manifest.Classes ?? []).SequenceEqual(corpus.Classes ?? []))
        {
            throw new RnnLabException(source.Manifest.Classes is null || corpus.Classes is null
                ? $"--init-from {source.Path}: one of the two models is conditioned on a class and the other is not; " +
                  "fine-tune with the same --condition-on-class setting as the checkpoint"
                : $"--init-from {source.Path}: its classes ({string.Join(", ", source.Manifest.Classes)}) " +
                  "differ from " +
                  $"the data's ({string.Join(", ", corpus.Classes)}); fine-tune on the same class files");
        }
        RunFolder run;
        if (options.Resume is { } resume)
        {
            CheckResumable(resume, config, corpus);
            var folder = Path.GetDirectoryName(Path.GetFullPath(resume.Path))!;
            run = RunFolder.Resume(folder, resume.Manifest.Progress.Step);
            run.WriteConfig(config); // the new limits (steps, time) are this folder's config now
        }
        else
        {
            var name = config.Name.Length > 0 ? config.Name : "run";
            run = RunFolder.Create(options.Out ?? RunFolder.DefaultPath(name));
            run.WriteConfig(config);
            run.WriteText("vocab.json", corpus.Vocabulary.ToJson() + "\n");
        }
        try
        {
            var watched = config.Train.TensorBoard ? new TensorBoardObserver(run, observer) : observer;
            using var trainer = new Trainer(config, corpus, run, watched, options.Device, options.HiddenStateLosses);
            if (options.Resume is not null)
            {
                trainer.Resume(options.Resume);
            }
            else if (options.InitFrom is { } init)
            {
                trainer.InitializeFrom(init);
            }
            var status = new RunStatus
            {
                State = RunState.Running, Started = DateTime.UtcNow, Step = trainer.Progress.Step,
            };
            status.Write(run.Path);

            // the registry is an index of the folders: it is told, but training never waits on it
            void Register() => RunRegistry.TryRecord(run.Path, options.RunsRoot, watched.Note);
            Register();
            try
            {
                var result = trainer.Run(cancel);
                (status with
                {
                    State = result.StopReason == RunStatus.Interrupted ? RunState.Interrupted : RunState.Finished,
                    Ended = DateTime.UtcNow,
                    Step = result.Progress.Step,
                    Reason = result.StopReason,
                }).Write(run.Path);
                Register();
                return new LaunchResult(run, result, corpus);
            }
            catch (Exception e) when (run.HasCheckpoint)
            {
                (status with { State = RunState.Failed, Ended = DateTime.UtcNow, Step = trainer.Progress.Step,
                    Reason = e.Message }).Write(run.Path);
                Register();
                throw;
            }
        }
        catch when (options.Resume is null)
        {
            // a new run that failed before its first checkpoint leaves nothing behind
            run.DeleteIfEmptyOfCheckpoints();
            throw;
        }
        finally
        {
            run.Dispose();
        }
    }

    /// <summary>Resuming needs the same model, data settings, optimizer and text; lists what differs.</summary>
    private static void CheckResumable(Checkpoint checkpoint, RunConfig requested, PreparedCorpus corpus)
    {
        var saved = checkpoint.Manifest.Config;
        var differences = Differences("", saved.Model, requested.Model)
            .Concat(Differences("", saved.Data with { Path = "" }, requested.Data with { Path = "" }))
            .Concat(Differences("", saved.Optim, requested.Optim))
            // its keys are the flags' names; the diagnostics draw from their own generator and never
            // change training, so they may differ
            .Concat(Differences("", WithoutDiagnostics(saved.Exposure), WithoutDiagnostics(requested.Exposure)))
            .ToList();
        if (!(checkpoint.Manifest.Classes ?? []).SequenceEqual(corpus.Classes ?? []))
        {
            differences.Add("the classes: the data's class files differ from the ones the run was trained on");
        }
        if (checkpoint.Manifest.DataHash != corpus.DataHash)
        {
            differences.Add($"the training text: {requested.Data.Path} differs from the text the run was trained on");
        }
        if (differences.Count > 0)
        {
            throw new RnnLabException(
                $"cannot resume {checkpoint.Path}: these differ from the checkpoint:\n  " +
                string.Join("\n  ", differences) +
                "\nresume with the run's own settings (or start a new run with --init-from to fine-tune)");
        }
    }

    private static ExposureConfig WithoutDiagnostics(ExposureConfig exposure) => exposure with
    {
        Diagnostics = false, DiagnosticLength = 0, DiagnosticWindows = 0, NGram = 0,
    };

    private static IEnumerable<string> Differences<T>(string prefix, T saved, T requested)
    {
        var left = JsonSerializer.SerializeToElement(saved, RunConfig.JsonOptions);
        var right = JsonSerializer.SerializeToElement(requested, RunConfig.JsonOptions);
        var keys = left.EnumerateObject().Select(p => p.Name).Union(right.EnumerateObject().Select(p => p.Name));
        foreach (var key in keys)
        {
            var a = left.TryGetProperty(key, out var x) ? x.GetRawText() : "(unset)";
            var b = right.TryGetProperty(key, out var y) ? y.GetRawText() : "(unset)";
            if (a != b)
            {
                yield return $"--{prefix}{key}: checkpoint {a}, given {b}";
            }
        }
    }

    /// <summary>
    /// One training step and one validation window, printed, then nothing is kept: checks that a
    /// config runs end to end in seconds.
    /// </summary>
    public static string DryRun(RunConfig config, PreparedCorpus corpus, Device device)
    {
        MemoryEstimate.Check(config, corpus.Vocabulary.Count);
        torch.manual_seed(config.Train.Seed);
        using var model = new CharRnn(config.Model, corpus.Vocabulary.Count, corpus.Classes?.Count ?? 0).to(device);
        using var optimizer = OptimizerFactory.Create(config.Optim, model.parameters());
        using var sources = WindowSources.Create(config.Data, config.Train.Seed, corpus, device);
        using var scope = torch.NewDisposeScope();
        using var window = sources.Train.Windows(0).First();
        var (logits, _) = model.forward(window.Input, null, window.Classes); // (B, T, V)
        var loss = SequenceLoss.Mean(logits, window.Target, config.Train.LossOn);
        loss.backward();
        nn.utils.clip_grad_norm_(model.parameters(), config.Optim.ClipMode == ClipMode.Norm ? config.Optim.Clip : 1e9);
        optimizer.step();
        var evaluation = Evaluator.Evaluate(model, sources.Validation, maxWindows: 1);
        var parameters = model.parameters().Sum(p => p.numel());
        return string.Create(CultureInfo.InvariantCulture,
            $"dry run ok | {EnumNames.Name(config.Model.Cell)} {EnumNames.Name(config.Data.Mode)} | " +
            $"vocab {corpus.Vocabulary.Count} | params {parameters:N0} | " +
            $"train window {Shape(window.Input)} -> logits {Shape(logits)} loss {loss.item<float>():F4} | " +
            $"val window loss {evaluation.Loss:F4} | {sources.Train.WindowCount(0):N0} windows per epoch");
    }

    private static string Shape(Tensor tensor) => $"({string.Join(", ", tensor.shape)})";
}

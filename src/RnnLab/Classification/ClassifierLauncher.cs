using System.Text.Json;
using RnnLab.Configuration;
using RnnLab.Tracking;
using RnnLab.Training;

namespace RnnLab.Classification;

/// <summary>Creates the run folder and trains: the whole of <c>rnnlab classify train</c>.</summary>
/// TODO: write status.json and tell the run registry at the start and end, as RunLauncher does (left
/// out of the registry's first version, which was for language-model runs and sweeps; until then
/// `rnnlab runs` finds these runs at its next refresh, with status none).
public static class ClassifierLauncher
{
    public static (RunFolder Run, ClassifierResult Result) Launch(ClassifyConfig config, PreparedLabels data,
        string? outPath, IClassifierObserver observer, Device device, CancellationToken cancel = default)
    {
        var name = config.Name.Length > 0 ? config.Name : "classify";
        var run = RunFolder.Create(outPath ?? RunFolder.DefaultPath(name), resumable: false);
        try
        {
            run.WriteText("config.json", config.ToJson() + "\n");
            run.WriteText("vocab.json", data.Vocabulary.ToJson() + "\n");
            run.WriteText("classes.json", JsonSerializer.Serialize(SplitTable(data), RunConfig.JsonOptions) + "\n");
            using var trainer = new ClassifierTrainer(config, data, run, observer, device);
            return (run, trainer.Run(cancel));
        }
        catch
        {
            // a run that failed before its first checkpoint leaves nothing behind
            run.DeleteIfEmptyOfCheckpoints();
            throw;
        }
        finally
        {
            run.Dispose();
        }
    }

    /// <summary>One training step and one validation batch, printed; nothing is written.</summary>
    public static string DryRun(ClassifyConfig config, PreparedLabels data, Device device)
    {
        torch.manual_seed(config.Train.Seed);
        using var model = new SequenceClassifier(config.Model, data.Vocabulary.Count, data.Classes.Count).to(device);
        using var optimizer = OptimizerFactory.Create(config.Optim, model.parameters());
        var train = new ItemBatches(data.Splits.Train, data.Vocabulary, config.Train.BatchSize, device);
        using var scope = torch.NewDisposeScope();
        using var batch = train.Batch(train.Plan(0, config.Train.Seed, config.Train.Imbalance)[0]);
        var logits = model.forward(batch.Ids, batch.Lengths); // (B, K)
        var loss = nn.functional.cross_entropy(logits, batch.Labels);
        loss.backward();
        optimizer.step();
        var validationItems = new ItemBatches(data.Splits.Validation, data.Vocabulary, 256, device);
        var validation = ClassifierEvaluator.Evaluate(model, validationItems, data.Splits.Validation, data.Classes);
        var parameters = model.parameters().Sum(p => p.numel());
        return string.Create(CultureInfo.InvariantCulture,
            $"dry run ok | {EnumNames.Name(config.Model.Cell)}" +
            $"{(config.Model.Bidirectional ? " bidirectional" : "")} | {data.Classes.Count} classes | " +
            $"vocab {data.Vocabulary.Count} | params {parameters:N0} | batch ({string.Join(", ", batch.Ids.shape)}) " +
            $"-> scores ({string.Join(", ", logits.shape)}) loss {loss.item<float>():F4} | val loss " +
            $"{validation.Loss:F4} | {train.BatchesPerEpoch:N0} batches per epoch");
    }

    // per class: items in each split, so a reader of the run folder sees the balance
    private static Dictionary<string, Dictionary<string, int>> SplitTable(PreparedLabels data) =>
        data.Classes.Select((name, label) => (name, label)).ToDictionary(p => p.name, p =>
            new Dictionary<string, int>
            {
                ["train"] = data.Splits.Train.Count(i => i.Label == p.label),
                ["validation"] = data.Splits.Validation.Count(i => i.Label == p.label),
                ["test"] = data.Splits.Test.Count(i => i.Label == p.label),
            });
}

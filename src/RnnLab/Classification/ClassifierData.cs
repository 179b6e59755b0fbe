using RnnLab.Data;

namespace RnnLab.Classification;

/// <summary>Labelled data read, split and given a vocabulary: what a classifier run trains on.</summary>
public sealed record PreparedLabels(LabeledData Data, LabeledSplits Splits, Vocabulary Vocabulary)
{
    public IReadOnlyList<string> Classes => Data.Classes;

    /// <summary>Reads and splits <paramref name="config"/>'s data; the vocabulary is the training split's.</summary>
    public static PreparedLabels Prepare(ClassifyConfig config)
    {
        config.Validate();
        var data = LabeledDataReader.Read(config.Data);
        var splits = StratifiedSplit.Split(data, config.Data.ValFraction, config.Data.TestFraction, config.Train.Seed);
        var vocabulary = Vocabulary.Build(splits.Train.Select(item => CorpusReader.Scalars(item.Text)));
        return new PreparedLabels(data, splits, vocabulary);
    }
}

/// <summary>Loss and metrics of a classifier over a split, and each item's predicted class.</summary>
public sealed record ClassifierEvaluation(double Loss, ClassificationMetrics Metrics, int[] Predictions);

public static class ClassifierEvaluator
{
    /// <summary>Runs every item once, in batches, without gradients or dropout.</summary>
    public static ClassifierEvaluation Evaluate(SequenceClassifier model, ItemBatches items,
        IReadOnlyList<LabeledItem> labels, IReadOnlyList<string> classes, CancellationToken cancel = default)
    {
        var wasTraining = model.training;
        model.eval();
        using var noGrad = torch.no_grad();
        var predictions = new int[items.Count];
        double lossSum = 0;
        foreach (var indices in items.Plan(0, seed: null))
        {
            cancel.ThrowIfCancellationRequested();
            using var scope = torch.NewDisposeScope();
            using var batch = items.Batch(indices);
            var logits = model.forward(batch.Ids, batch.Lengths); // (B, K)
            lossSum += nn.functional.cross_entropy(logits, batch.Labels, reduction: nn.Reduction.Sum)
                .to(ScalarType.Float64).item<double>();
            var predicted = logits.argmax(1).cpu().data<long>().ToArray();
            for (var row = 0; row < indices.Length; row++)
            {
                predictions[indices[row]] = (int)predicted[row];
            }
        }
        model.train(wasTraining);
        var metrics = ClassificationMetrics.From(classes, labels.Select((item, i) => (item.Label, predictions[i])));
        return new ClassifierEvaluation(lossSum / Math.Max(1, items.Count), metrics, predictions);
    }
}

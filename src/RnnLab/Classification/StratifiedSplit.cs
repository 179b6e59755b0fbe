namespace RnnLab.Classification;

/// <summary>The three splits of a labelled dataset.</summary>
public sealed record LabeledSplits(LabeledItem[] Train, LabeledItem[] Validation, LabeledItem[] Test);

/// <summary>
/// A seeded split that keeps every class's share in each part: each class is shuffled on its own
/// and cut, so a class of 74 items still has items in validation and test.
/// </summary>
public static class StratifiedSplit
{
    public static LabeledSplits Split(LabeledData data, double valFraction, double testFraction, int seed)
    {
        var random = new Random(seed);
        var train = new List<LabeledItem>();
        var validation = new List<LabeledItem>();
        var test = new List<LabeledItem>();
        for (var label = 0; label < data.Classes.Count; label++)
        {
            var items = data.Items.Where(item => item.Label == label).ToArray();
            var validationCount = Math.Max(1, (int)Math.Round(items.Length * valFraction));
            var testCount = Math.Max(1, (int)Math.Round(items.Length * testFraction));
            if (items.Length < validationCount + testCount + 1)
            {
                throw new RnnLabException(
                    $"class '{data.Classes[label]}' has {items.Length} item(s); the split needs at least " +
                    $"{validationCount + testCount + 1} (1 for training, {validationCount} for validation, " +
                    $"{testCount} for test); add items to it or remove the class");
            }
            random.Shuffle(items);
            validation.AddRange(items[..validationCount]);
            test.AddRange(items[validationCount..(validationCount + testCount)]);
            train.AddRange(items[(validationCount + testCount)..]);
        }
        return new LabeledSplits([.. train], [.. validation], [.. test]);
    }
}

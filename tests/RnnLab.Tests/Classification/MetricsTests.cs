using RnnLab.Classification;

namespace RnnLab.Tests.Classification;

public sealed class MetricsTests
{
    // rows true, columns predicted:      a  b  c
    private static readonly long[,] Tiny = { { 2, 1, 0 }, // a: 3 items, 2 right
                                              { 0, 3, 1 }, // b: 4 items, 3 right
                                              { 1, 0, 0 } }; // c: 1 item, never right, predicted once

    [Fact]
    public void FiguresMatchAHandComputedMatrix()
    {
        var metrics = new ClassificationMetrics(["a", "b", "c"], Tiny);

        Assert.Equal(5.0 / 8, metrics.Accuracy, 12);
        Assert.Equal([3L, 4, 1], metrics.Support);
        // precision: column sums a 3, b 4, c 1
        Assert.Equal(2.0 / 3, metrics.Precision[0], 12);
        Assert.Equal(3.0 / 4, metrics.Precision[1], 12);
        Assert.Equal(0, metrics.Precision[2], 12);
        Assert.Equal(2.0 / 3, metrics.Recall[0], 12);
        Assert.Equal(3.0 / 4, metrics.Recall[1], 12);
        Assert.Equal(0, metrics.Recall[2], 12);
        Assert.Equal(2.0 / 3, metrics.F1[0], 12);
        Assert.Equal((2.0 / 3 + 3.0 / 4 + 0) / 3, metrics.MacroF1, 12);
    }

    [Fact]
    public void AClassNeverPredictedHasPrecisionZeroNotNaN()
    {
        var metrics = ClassificationMetrics.From(["x", "y"], [(0, 0), (1, 0), (1, 0)]);

        Assert.Equal(1.0 / 3, metrics.Accuracy, 12);
        Assert.Equal(0, metrics.Precision[1]);
        Assert.Equal(0, metrics.F1[1]);
        Assert.Equal(1.0 / 3, metrics.Precision[0], 12);
        Assert.Equal(0.25, metrics.MacroF1, 12); // F1 of x: 2 * (1/3 * 1) / (4/3) = 0.5
    }

    [Fact]
    public void MacroF1AveragesOnlyOverClassesThatOccur()
    {
        // four classes known to the model; the data holds a and b, and c was predicted once by mistake
        var metrics = ClassificationMetrics.From(["a", "b", "c", "d"], [(0, 0), (0, 0), (1, 1), (1, 2)]);

        // F1: a 1, b 2/3 (precision 1, recall 1/2), c 0; d neither occurs nor is predicted
        Assert.Equal((1 + 2.0 / 3 + 0) / 3, metrics.MacroF1, 12);
        Assert.False(metrics.Occurs(3));
        Assert.Contains("d                 -       -       -        0", metrics.ToText());
    }

    [Fact]
    public void TextTableListsEveryClassAndTheMatrix()
    {
        var text = new ClassificationMetrics(["alpha", "beta", "c"], Tiny).ToText();

        Assert.StartsWith("accuracy 0.6250 | macro-F1 0.4722 | 8 items", text);
        Assert.Contains("alpha         0.667   0.667   0.667        3", text);
        Assert.Contains("c             0.000   0.000   0.000        1", text);
        Assert.Contains("alpha      2   1   0", text);
    }
}

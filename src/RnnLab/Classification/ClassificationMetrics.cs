using System.Text;

namespace RnnLab.Classification;

/// <summary>
/// Metrics of a confusion matrix (rows: true class, columns: predicted class). A class never predicted
/// has precision 0, and one never present has recall 0, as scikit-learn reports them by default.
/// Macro averages, like scikit-learn's, take the classes that occur in the data or the predictions:
/// scoring a model on two of its eighteen classes averages over those two (and any it wrongly chose).
/// </summary>
public sealed class ClassificationMetrics
{
    public ClassificationMetrics(IReadOnlyList<string> classes, long[,] confusion)
    {
        if (confusion.GetLength(0) != classes.Count || confusion.GetLength(1) != classes.Count)
        {
            throw new ArgumentException("the confusion matrix must be K x K for K classes", nameof(confusion));
        }
        Classes = classes;
        Confusion = confusion;
        var k = classes.Count;
        Support = new long[k];
        Predicted = new long[k];
        Precision = new double[k];
        Recall = new double[k];
        F1 = new double[k];
        long correct = 0;
        for (var c = 0; c < k; c++)
        {
            for (var r = 0; r < k; r++)
            {
                Support[c] += confusion[c, r];
                Predicted[c] += confusion[r, c];
            }
            correct += confusion[c, c];
            Precision[c] = Predicted[c] == 0 ? 0 : (double)confusion[c, c] / Predicted[c];
            Recall[c] = Support[c] == 0 ? 0 : (double)confusion[c, c] / Support[c];
            F1[c] = Precision[c] + Recall[c] == 0 ? 0 : 2 * Precision[c] * Recall[c] / (Precision[c] + Recall[c]);
        }
        Total = Support.Sum();
        Accuracy = Total == 0 ? 0 : (double)correct / Total;
        var occurring = Enumerable.Range(0, k).Where(Occurs).ToArray();
        MacroF1 = occurring.Length == 0 ? 0 : occurring.Average(c => F1[c]);
    }

    public IReadOnlyList<string> Classes { get; }

    public long[,] Confusion { get; }

    public long[] Support { get; }

    /// <summary>How often each class was predicted.</summary>
    public long[] Predicted { get; }

    public double[] Precision { get; }

    public double[] Recall { get; }

    public double[] F1 { get; }

    public long Total { get; }

    public double Accuracy { get; }

    /// <summary>
    /// The unweighted mean of the per-class F1 scores over the classes that occur: small classes count
    /// as much as large ones.
    /// </summary>
    public double MacroF1 { get; }

    public static ClassificationMetrics From(
        IReadOnlyList<string> classes, IEnumerable<(int True, int Predicted)> pairs)
    {
        var confusion = new long[classes.Count, classes.Count];
        foreach (var (truth, predicted) in pairs)
        {
            confusion[truth, predicted]++;
        }
        return new ClassificationMetrics(classes, confusion);
    }

    /// <summary>Per-class precision, recall, F1 and support, then the confusion matrix.</summary>
    public string ToText()
    {
        var width = Math.Max(8, Classes.Max(c => c.Length));
        var text = new StringBuilder();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"accuracy {Accuracy:F4} | macro-F1 {MacroF1:F4} | {Total:N0} items"));
        text.AppendLine();
        text.AppendLine($"{"class".PadRight(width)}  precision  recall      f1  support");
        for (var c = 0; c < Classes.Count; c++)
        {
            text.AppendLine(Occurs(c)
                ? string.Create(CultureInfo.InvariantCulture,
                    $"{Classes[c].PadRight(width)}  {Precision[c],9:F3}  {Recall[c],6:F3}  {F1[c],6:F3}  " +
                    $"{Support[c],7}")
                : $"{Classes[c].PadRight(width)}  {"-",9}  {"-",6}  {"-",6}  {0,7}");
        }
        text.AppendLine();
        text.AppendLine("confusion matrix (rows: true class, columns: predicted, in the same order)");
        var cell = Math.Max(4, Confusion.Cast<long>().Max().ToString(CultureInfo.InvariantCulture).Length + 1);
        text.Append("".PadRight(width));
        for (var c = 0; c < Classes.Count; c++)
        {
            text.Append(Abbreviation(Classes[c], cell - 1).PadLeft(cell));
        }
        text.AppendLine();
        for (var r = 0; r < Classes.Count; r++)
        {
            text.Append(Classes[r].PadRight(width));
            for (var c = 0; c < Classes.Count; c++)
            {
                text.Append(Confusion[r, c].ToString(CultureInfo.InvariantCulture).PadLeft(cell));
            }
            text.AppendLine();
        }
        return text.ToString();
    }

    /// <summary>The figures as a JSON-ready record.</summary>
    public Dictionary<string, object?> ToRecord() => new()
    {
        ["accuracy"] = Accuracy,
        ["macro_f1"] = MacroF1,
        ["items"] = Total,
        ["classes"] = Classes.Select((c, i) => new Dictionary<string, object?>
        {
            ["class"] = c, ["precision"] = Precision[i], ["recall"] = Recall[i], ["f1"] = F1[i],
            ["support"] = Support[i],
        }).ToArray(),
        ["confusion"] = Enumerable.Range(0, Classes.Count)
            .Select(r => Enumerable.Range(0, Classes.Count).Select(c => Confusion[r, c]).ToArray()).ToArray(),
    };

    /// <summary>True when class <paramref name="c"/> is in the data or among the predictions.</summary>
    public bool Occurs(int c) => Support[c] > 0 || Predicted[c] > 0;

    private static string Abbreviation(string name, int length) => name.Length <= length ? name : name[..length];
}

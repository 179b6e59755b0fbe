namespace RnnLab.Reports;

/// <summary>One colour per group, the same in the HTML report and the PNG plots (matplotlib's tab10).</summary>
public static class GroupColors
{
    private static readonly string[] Tab10 =
    [
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
    ];

    public static string Of(int group) => Tab10[group % Tab10.Length];

    /// <summary>Groups past the tenth reuse the colours, dashed, so that no two groups look alike.</summary>
    public static bool Dashed(int group) => group / Tab10.Length % 2 == 1;
}

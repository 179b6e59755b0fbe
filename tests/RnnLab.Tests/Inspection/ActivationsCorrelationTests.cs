using RnnLab.Inspection;

namespace RnnLab.Tests.Inspection;

public sealed class ActivationsCorrelationTests
{
    [Fact]
    public void Pearson_r_matches_a_hand_computation()
    {
        // deviations (-1.5, -0.5, 0.5, 1.5) and (-3, -1, 0, 4): r = 11 / sqrt(5 * 26)
        var r = Correlation.Pearson([1, 2, 3, 4], [2, 4, 5, 9]);

        Assert.Equal(11 / Math.Sqrt(130), r!.Value, 12);
        Assert.Equal(-1, Correlation.Pearson([1, 2, 3], [6, 4, 2])!.Value, 12);
    }

    [Fact]
    public void Pearson_r_is_null_not_nan_for_a_constant_series()
    {
        Assert.Null(Correlation.Pearson([0, 0, 0, 0], [1, 2, 3, 4]));
        Assert.Null(Correlation.Pearson([1, 2, 3], [7, 7, 7]));
        // equal values whose mean is off by a rounding error must not produce an r of noise
        Assert.Null(Correlation.Pearson([0.1, 0.1, 0.1], [1, 2, 3]));
        Assert.Null(Correlation.Pearson([1], [2]));
        Assert.Null(Correlation.Pearson([1, double.NaN, 3], [1, 2, 3]));
    }

    [Fact]
    public void Ranking_orders_units_by_absolute_r_and_leaves_out_constant_units()
    {
        // unit 0 follows the feature, unit 1 opposes it less tidily, unit 2 never moves
        var trace = Trace(new float[,] { { 0.1f, 0.9f, 0.5f }, { 0.8f, 0.1f, 0.5f }, { 0.2f, 0.7f, 0.5f },
            { 0.9f, 0.6f, 0.5f } });
        var feature = new CharFeature("f", "test", [0, 1, 0, 1]);

        var ranked = Correlation.Rank(trace, feature, top: 5);

        Assert.Equal([0, 1], ranked.Top.Select(c => c.Unit));
        Assert.Equal(Correlation.Pearson([0.1f, 0.8f, 0.2f, 0.9f], [0, 1, 0, 1]), ranked.Top[0].R);
        Assert.True(ranked.Top[1].R < 0);
        Assert.False(ranked.Constant);
        Assert.Single(Correlation.Rank(trace, feature, top: 1).Top);
    }

    [Fact]
    public void A_constant_feature_ranks_no_units()
    {
        var trace = Trace(new float[,] { { 0.1f }, { 0.8f }, { 0.2f } });

        var ranked = Correlation.Rank(trace, new CharFeature("quotes", "none here", [0, 0, 0]), top: 5);

        Assert.Empty(ranked.Top);
        Assert.True(ranked.Constant);
    }

    private static ActivationTrace Trace(float[,] values) => new(
        Enumerable.Repeat("x", values.GetLength(0)).ToArray(), 0, values, new double?[values.GetLength(0)]);
}

using RnnLab.Training;

namespace RnnLab.Tests.Exposure;

public sealed class ExposureMetricsTests
{
    [Theory]
    [InlineData(ExposureSchedule.Linear, 0, 0.0)]
    [InlineData(ExposureSchedule.Linear, 500, 0.125)]
    [InlineData(ExposureSchedule.Linear, 1000, 0.25)]
    [InlineData(ExposureSchedule.Linear, 5000, 0.25)]
    [InlineData(ExposureSchedule.Exponential, 0, 0.0)]
    [InlineData(ExposureSchedule.Exponential, 1000, 0.25 * 0.63212055882855767)] // 1 - e^-1
    [InlineData(ExposureSchedule.InverseSigmoid, 0, 0.25 * (1 - 1000.0 / 1001))]
    [InlineData(ExposureSchedule.InverseSigmoid, 6908, 0.25 * 0.49998)] // e^6.908 ≈ 1000: half way
    public void SamplingProbabilityFollowsItsSchedule(ExposureSchedule shape, long step, double expected)
    {
        var config = new ExposureConfig { Schedule = shape, K = 1000, MaxProbability = 0.25 };

        Assert.Equal(expected, SamplingSchedule.At(config, step), 4);
    }

    [Fact]
    public void InverseSigmoidStaysFiniteFarOut()
    {
        var config = new ExposureConfig { Schedule = ExposureSchedule.InverseSigmoid, K = 1, MaxProbability = 0.5 };

        Assert.Equal(0.5, SamplingSchedule.At(config, 1_000_000), 12);
    }

    [Fact]
    public void RunningAccuracyIsAnExponentialAverageFromChance()
    {
        var gate = new DiscriminatorGate(0.75, 0.99, decay: 0.5);

        gate.Observe(1.0);
        Assert.Equal(0.75, gate.RunningAccuracy, 12);
        gate.Observe(0.25);
        Assert.Equal(0.5, gate.RunningAccuracy, 12);
    }

    [Fact]
    public void GatesOpenAndCloseAtTheirThresholds()
    {
        var gate = new DiscriminatorGate(0.75, 0.99, decay: 0.9);

        // at chance: only the discriminator learns
        Assert.False(gate.GeneratorLearns);
        Assert.True(gate.DiscriminatorLearns);

        // at the generator's threshold both learn
        gate.RunningAccuracy = 0.75;
        Assert.True(gate.GeneratorLearns);
        Assert.True(gate.DiscriminatorLearns);

        // above the discriminator's threshold only the generator does
        gate.RunningAccuracy = 0.995;
        Assert.True(gate.GeneratorLearns);
        Assert.False(gate.DiscriminatorLearns);

        // just below the generator's threshold it is held back again
        gate.RunningAccuracy = 0.7499;
        Assert.False(gate.GeneratorLearns);
    }

    [Fact]
    public void RepetitionCountsRepeatedNGrams()
    {
        // "abcabcab": 3-grams abc bca cab abc bca cab, 3 distinct of 6
        int[] ids = [1, 2, 3, 1, 2, 3, 1, 2];

        Assert.Equal(0.5, NGramStats.Repetition(ids, 3), 12);
        Assert.Equal(0.0, NGramStats.Repetition([1, 2, 3, 4], 2), 12);
        Assert.Equal(0.0, NGramStats.Repetition([1, 2], 3), 12);
    }

    [Fact]
    public void NoveltyIsTheShareOfNGramsTheTrainingTextLacks()
    {
        var seen = NGramStats.Set([1, 2, 3, 4], 2); // 12 23 34

        // 12 23 35 51 12: 35 and 51 are new, 2 of 5
        Assert.Equal(0.4, NGramStats.Novelty([1, 2, 3, 5, 1, 2], 2, seen), 12);
        Assert.Equal(3, seen.Count);
    }

    [Fact]
    public void PackedIdsGiveTheSameNGramsAcrossChunkBoundaries()
    {
        // zeros longer than the 65,536-id chunk, with 1 2 3 4 only across its edge: every 4-gram
        // holding one of them occurs once, there
        var ids = new int[150_000];
        (ids[65_534], ids[65_535], ids[65_536], ids[65_537]) = (1, 2, 3, 4);

        var chunked = NGramStats.Set(PackedIds.From(ids, 256), 4);

        Assert.True(NGramStats.Set(ids, 4).SetEquals(chunked));
        Assert.Equal(1 + 7, chunked.Count); // 0000, and the 7 that overlap 1 2 3 4
    }

    [Fact]
    public void FrechetInOneDimensionIsTheMeansAndDeviationsApart()
    {
        using var scope = torch.NewDisposeScope();

        // x = {0, 2}: mean 1, variance 2; y = {3, 7}: mean 5, variance 8 (sample variances);
        // in one dimension (μx − μy)² + (σx − σy)² = 16 + (√2 − √8)² = 18
        var value = Frechet.Squared(torch.tensor(new float[] { 0, 2 }).reshape(2, 1),
            torch.tensor(new float[] { 3, 7 }).reshape(2, 1));

        Assert.Equal(18, value, 9);
    }

    [Fact]
    public void FrechetOfAScaledAndShiftedSetMatchesTheHandValue()
    {
        using var scope = torch.NewDisposeScope();

        // x: mean 0, covariance diag(2/3, 8/3); y = 3x + (1, 1): mean (1, 1), covariance 9 times as
        // large; with commuting covariances the trace term is Σ (√a − √b)², so 2 + 4(2/3) + 4(8/3)
        var x = torch.tensor(new float[] { 1, 0, -1, 0, 0, 2, 0, -2 }).reshape(4, 2);

        var value = Frechet.Squared(x, x.mul(3).add(1));

        Assert.Equal(2 + 40.0 / 3, value, 9);
    }

    [Fact]
    public void FrechetIsZeroForOneSetAndSymmetricWhenTheCovariancesDoNotCommute()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(4);
        var x = torch.randn(300, 3).matmul(torch.tensor(new float[] { 2, 0, 0, 1, 1, 0, 0, 0, 0.5f }).reshape(3, 3));
        var y = torch.randn(200, 3).matmul(torch.tensor(new float[] { 1, 0, 1, 0, 3, 0, 0, 1, 1 }).reshape(3, 3));

        Assert.Equal(0, Frechet.Squared(x, x.clone()), 9);
        var (there, back) = (Frechet.Squared(x, y), Frechet.Squared(y, x));
        Assert.True(there > 1, $"{there}");
        Assert.Equal(there, back, 9);
    }

    [Fact]
    public void MmdOfTwoPairsMatchesTheHandValue()
    {
        using var scope = torch.NewDisposeScope();

        // distances² between distinct points: 0, 0, 1, 1, 1, 1, so σ² = 1 (the lower median);
        // K_xx = K_yy = 1 off the diagonal, K_xy = e^(-1/2): MMD² = 1 + 1 - 2 e^(-1/2)
        var value = Mmd.RbfSquared(torch.tensor(new float[] { 0, 0 }).reshape(2, 1),
            torch.tensor(new float[] { 1, 1 }).reshape(2, 1));

        Assert.Equal(2 - 2 * Math.Exp(-0.5), value, 6);
    }

    [Fact]
    public void MmdOfThreeAgainstTwoPointsMatchesTheHandValue()
    {
        using var scope = torch.NewDisposeScope();

        // x = {0, 0, 2}, y = {2, 2}: distances² 0 (x0 x1, y0 y1, x2 y0, x2 y1) and 4 (the other 6),
        // lower median 4, so k = e^(-d²/8): K_xx off the diagonal (1 + 1 + 4 e^(-1/2)) / 6,
        // K_yy = 1, K_xy = (4 e^(-1/2) + 2) / 6
        var value = Mmd.RbfSquared(torch.tensor(new float[] { 0, 0, 2 }).reshape(3, 1),
            torch.tensor(new float[] { 2, 2 }).reshape(2, 1));

        var half = Math.Exp(-0.5);
        Assert.Equal((2 + 4 * half) / 6 + 1 - 2 * (4 * half + 2) / 6, value, 6);
    }

    [Fact]
    public void MmdIsZeroForIdenticalSetsAndGrowsWithTheShift()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(3);
        var points = torch.randn(200, 5);

        var same = Mmd.RbfSquared(points, points.clone());
        var near = Mmd.RbfSquared(points, points + 0.1);
        var far = Mmd.RbfSquared(points, points + 2);

        // unbiased: 0 only in expectation; for one set against itself it is -2(1 - mean K) / N
        Assert.True(Math.Abs(same) < 0.01, $"same {same}");
        Assert.True(near > same && near < far, $"same {same}, near {near}, far {far}");
    }
}

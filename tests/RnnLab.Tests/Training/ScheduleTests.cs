using RnnLab.Training;

namespace RnnLab.Tests.Training;

public sealed class ScheduleTests
{
    [Fact]
    public void WarmupThenCosineToTheFloor()
    {
        var schedule = new LearningRateSchedule(new OptimConfig
        {
            LearningRate = 1.0, WarmupSteps = 10, Schedule = ScheduleKind.Cosine, MinLrFraction = 0.1,
        });
        schedule.SetHorizon(110);

        Assert.Equal(0.5, schedule.At(5), 12);
        Assert.Equal(1.0, schedule.At(10), 12);
        Assert.Equal(0.55, schedule.At(60), 12); // halfway: floor + (1 - floor) / 2
        Assert.Equal(0.1, schedule.At(110), 12);
        Assert.Equal(0.1, schedule.At(500), 12);
    }

    [Fact]
    public void StepScheduleDecaysEveryStepSize()
    {
        var schedule = new LearningRateSchedule(new OptimConfig
        {
            LearningRate = 0.8, WarmupSteps = 0, Schedule = ScheduleKind.Step, StepSize = 100, Gamma = 0.5,
        });

        Assert.Equal(new[] { 0.8, 0.4, 0.2 }, new[] { 99L, 100, 250 }.Select(schedule.At));
    }

    [Fact]
    public void PlateauDropsAfterPatienceRunsOut()
    {
        var schedule = new LearningRateSchedule(new OptimConfig
        {
            LearningRate = 1.0, WarmupSteps = 0, Schedule = ScheduleKind.Plateau, PlateauPatience = 1, Gamma = 0.5,
        });

        schedule.OnEvaluation(2.0);
        schedule.OnEvaluation(2.0); // first bad evaluation: within patience
        Assert.Equal(1.0, schedule.At(1));
        schedule.OnEvaluation(2.1); // second: drop
        Assert.Equal(0.5, schedule.At(1));
        schedule.OnEvaluation(1.0); // improvement
        Assert.Equal(0.5, schedule.At(1));
    }

    [Fact]
    public void NonFiniteCutsMultiply()
    {
        var schedule = new LearningRateSchedule(
            new OptimConfig { LearningRate = 1.0, WarmupSteps = 0, Schedule = ScheduleKind.Constant });

        schedule.CutAfterNonFinite(0.5);
        schedule.CutAfterNonFinite(0.5);

        Assert.Equal(0.25, schedule.At(7));
    }
}

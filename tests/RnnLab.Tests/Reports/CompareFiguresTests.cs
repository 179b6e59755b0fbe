using RnnLab.Reports;
using RnnLab.Tracking;

namespace RnnLab.Tests.Reports;

// the figures a comparison shows: read from hand-made run folders, reduced over seeds
public sealed class CompareFiguresTests
{
    [Fact]
    public void Spread_is_the_mean_and_the_sample_standard_deviation()
    {
        var three = Spread.Of([2.0, 2.2, 2.4])!;
        var one = Spread.Of([1.5])!;

        // by hand: deviations -0.2, 0, 0.2; (0.04 + 0 + 0.04) / (3 - 1) = 0.04
        Assert.Equal(2.2, three.Mean, 12);
        Assert.Equal(0.2, three.StdDev!.Value, 12);
        Assert.Equal(3, three.N);
        Assert.Equal("2.200 ± 0.200 (n 3)", three.Format("F3"));
        Assert.Null(one.StdDev);
        Assert.Equal("1.500 (n 1)", one.Format("F3"));
        Assert.Null(Spread.Of([]));
    }

    [Fact]
    public void A_group_summary_takes_best_and_final_val_bpc_over_its_seeds()
    {
        using var dir = new TempDir();
        var runs = new[]
        {
            HandRuns.Write(dir.File("s1"), seed: 1, valBpc: [3.0, 2.1, 2.2]),
            HandRuns.Write(dir.File("s2"), seed: 2, valBpc: [2.9, 2.3, 2.0]),
            HandRuns.Write(dir.File("s3"), seed: 3, valBpc: [2.8, 2.2, 2.4]),
        }.Select(RunHistory.Read).ToList();

        var summary = GroupSummary.Of(new RunGroup("lstm", runs, 3));

        // best: 2.1, 2.0, 2.2 (mean 2.1, std 0.1); final: 2.2, 2.0, 2.4 (mean 2.2, std 0.2)
        Assert.Equal(2.1, summary.BestValBpc!.Mean, 12);
        Assert.Equal(0.1, summary.BestValBpc.StdDev!.Value, 12);
        Assert.Equal(2.2, summary.FinalValBpc!.Mean, 12);
        Assert.Equal(0.2, summary.FinalValBpc.StdDev!.Value, 12);
        Assert.Equal(300, summary.Steps!.Mean);
        Assert.Equal(0, summary.Steps.StdDev!.Value);
        Assert.Equal(20_000, summary.CharsPerSecond!.Mean);
        Assert.Equal(["1", "2", "3"], new RunGroup("lstm", runs, 3).Seeds);
    }

    [Fact]
    public void Reading_a_run_skips_torn_and_non_finite_records_and_keeps_the_last_steps_samples()
    {
        using var dir = new TempDir();
        var folder = HandRuns.Write(dir.File("run"));
        File.AppendAllText(Path.Combine(folder, "metrics.jsonl"), "\n" +
            "{\"kind\":\"non_finite\",\"step\":310,\"lr\":0.001}\n" +
            "{\"kind\":\"train\",\"step\":320,\"loss\":\"NaN\",\"ms_per_step\":100,\"char_per_s\":1}\n" +
            "[1, 2]\n");
        File.AppendAllText(Path.Combine(folder, "samples.txt"),
            "--- step 400 ---\n<eos> one\n--- step 400 ---\n\ntwo\nlines\n--- step 400 ---\n\n");

        var run = RunHistory.Read(folder);

        Assert.Equal([100L, 200, 300], run.Train.Select(t => t.Step));
        Assert.Equal([3.0, 2.5, 2.0], run.Train.Select(t => t.Loss));
        Assert.Equal([3.0, 2.5, 2.2], run.Evals.Select(e => e.ValBpc));
        Assert.Equal(400, run.LastSampleStep);
        Assert.Equal(["<eos> one", "\ntwo\nlines", ""], run.LastSamples);
        Assert.Equal("1", run.Seed);
        Assert.Null(run.ConfigProblem);
        Assert.Equal("lstm", run.Config["model.cell"]);
    }

    [Fact]
    public void Train_time_is_status_wall_time_unless_the_logged_steps_took_longer()
    {
        using var dir = new TempDir();
        var ended = HandRuns.Write(dir.File("ended"));
        var resumed = HandRuns.Write(dir.File("resumed"));
        var start = new DateTime(2026, 12, 4, 12, 0, 0, DateTimeKind.Utc);
        new RunStatus { State = RunState.Finished, Started = start, Ended = start.AddMinutes(10), Step = 300 }
            .Write(ended);
        new RunStatus { State = RunState.Finished, Started = start, Ended = start.AddSeconds(5), Step = 300 }
            .Write(resumed);
        var running = HandRuns.Write(dir.File("running"));

        // logged: 3 intervals of 100 steps at 100 ms per step = 30 s
        Assert.Equal(600, RunHistory.Read(ended).TrainSeconds!.Value, 9);
        Assert.Equal(30, RunHistory.Read(resumed).TrainSeconds!.Value, 9);
        Assert.Equal(30, RunHistory.Read(running).TrainSeconds!.Value, 9);
        Assert.Equal(RunState.Finished, RunHistory.Read(ended).Status!.State);
    }

    [Fact]
    public void A_run_that_logs_no_speed_has_no_speed_or_logged_time()
    {
        // a classifier's train records have items_per_s, not char_per_s, and no ms_per_step
        using var dir = new TempDir();
        var folder = HandRuns.Write(dir.File("run"));
        File.WriteAllText(Path.Combine(folder, "metrics.jsonl"),
            "{\"kind\":\"train\",\"step\":10,\"epoch\":1,\"loss\":2.5,\"lr\":0.001,\"items_per_s\":900}\n");

        var run = RunHistory.Read(folder);

        Assert.Equal(2.5, Assert.Single(run.Train).Loss);
        Assert.Null(run.CharsPerSecond);
        Assert.Null(run.TrainSeconds);
        Assert.Null(GroupSummary.Of(new RunGroup("c", [run], 1)).CharsPerSecond);
    }

    [Fact]
    public void A_config_that_is_not_json_is_named_and_the_rest_of_the_run_still_reads()
    {
        using var dir = new TempDir();
        var folder = HandRuns.Write(dir.File("run"));
        File.WriteAllText(Path.Combine(folder, "config.json"), "{\"name\": ");

        var run = RunHistory.Read(folder);

        Assert.StartsWith("config.json is not JSON", run.ConfigProblem);
        Assert.Empty(run.Config);
        Assert.Equal(3, run.Evals.Count);
    }

    [Theory]
    [InlineData(new[] { 1.3, 4.4 }, true)]
    [InlineData(new[] { 2.0, 3.5 }, false)]
    [InlineData(new[] { -1.0, 4.0 }, false)]
    public void A_chart_axis_is_logarithmic_when_positive_values_span_more_than_a_factor_of_three(
        double[] values, bool log)
    {
        var axis = ChartAxis.For(values);

        Assert.Equal(log, axis.Log);
        Assert.True(axis.Min <= values.Min() && axis.Max >= values.Max());
        Assert.NotEmpty(axis.Ticks);
        Assert.All(axis.Ticks, t => Assert.InRange(t, axis.Min, axis.Max));
    }

    [Fact]
    public void Linear_ticks_are_round_numbers()
    {
        var axis = ChartAxis.For([0.0, 2_000], fromZero: true);

        Assert.Equal([0.0, 500, 1000, 1500, 2000], axis.Ticks);
        Assert.Equal("1,500", ChartAxis.Label(1500));
        Assert.Equal("0.3", ChartAxis.Label(0.1 + 0.2));
    }
}

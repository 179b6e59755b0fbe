using RnnLab.Tracking;
using RnnLab.Training;

namespace RnnLab.Tests.Training;

[Collection(GlobalRngCollection.Name)]
public sealed class RunStatusTests
{
    [Fact]
    public void A_run_says_running_while_it_holds_its_folder_then_why_it_finished()
    {
        using var dir = new TempDir();
        var path = dir.Write("data.txt", Corpora.ShakespeareSlice(3_000));
        var config = Corpora.SmallConfig(path, CorpusMode.Stream) with
        {
            Train = new TrainConfig { Steps = 4, EvalEvery = 4, LogEvery = 2, SampleLength = 0 },
        };
        var options = new LaunchOptions { Config = config, Out = dir.File("run") };
        var observer = new Watching(() => RunStatus.Read(dir.File("run")));

        RunLauncher.Launch(options, RunLauncher.PrepareCorpus(options), observer);

        Assert.Equal(RunState.Running, observer.Seen!.State);
        Assert.Null(observer.Seen.Ended);
        var done = RunStatus.Read(dir.File("run"))!;
        Assert.Equal(RunState.Finished, done.State);
        Assert.Equal("reached step 4", done.Reason);
        Assert.Equal(4, done.Step);
        Assert.True(done.Ended >= done.Started);
    }

    [Fact]
    public void Running_in_a_folder_no_process_holds_reads_as_killed_and_a_held_one_as_running()
    {
        using var dir = new TempDir();
        var status = new RunStatus { State = RunState.Running, Started = DateTime.UtcNow, Step = 3 };
        using (var run = RunFolder.Create(dir.File("held")))
        {
            status.Write(run.Path);
            Assert.True(RunFolder.IsLocked(run.Path));
            Assert.Equal(RunState.Running, RunStatus.Read(run.Path)!.State);
        }
        Directory.CreateDirectory(dir.File("killed"));
        status.Write(dir.File("killed"));
        File.WriteAllText(dir.File("killed/.lock"), ""); // what kill -9 leaves: a lock file no one holds

        Assert.False(RunFolder.IsLocked(dir.File("killed")));
        Assert.Equal(RunState.Killed, RunStatus.Read(dir.File("killed"))!.State);
        Assert.Equal(RunState.Killed, RunStatus.Read(dir.File("held"))!.State);
        Assert.Null(RunStatus.Read(dir.Path));
    }

    private sealed class Watching(Func<RunStatus?> read) : ITrainingObserver
    {
        public RunStatus? Seen { get; private set; }

        public void Started(long startStep, long? totalSteps, double? timeLimitSeconds) => Seen = read();

        public void Stepped(long step, double elapsedSeconds)
        {
        }

        public void Logged(LogReport report)
        {
        }

        public void Evaluated(EvalReport report, IReadOnlyList<string> samples)
        {
        }

        public void Note(string message)
        {
        }
    }
}

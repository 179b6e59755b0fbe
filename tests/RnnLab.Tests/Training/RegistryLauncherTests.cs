using RnnLab.Tracking;
using RnnLab.Training;

namespace RnnLab.Tests.Training;

// Training tells the run registry when a run starts and ends, and never fails because of it.
[Collection(GlobalRngCollection.Name)]
public sealed class RegistryLauncherTests
{
    private static LaunchOptions Options(TempDir dir, string root)
    {
        var path = dir.Write("data.txt", Corpora.ShakespeareSlice(3_000));
        var config = Corpora.SmallConfig(path, CorpusMode.Stream) with
        {
            Train = new TrainConfig { Steps = 4, EvalEvery = 2, LogEvery = 2, SampleLength = 0 },
        };
        return new LaunchOptions { Config = config, Out = Path.Combine(root, "sweep", "r"), RunsRoot = root };
    }

    [Fact]
    public void A_run_is_recorded_as_running_when_it_starts_and_finished_when_it_ends()
    {
        using var dir = new TempDir();
        var root = dir.File("runs");
        var options = Options(dir, root);
        var observer = new StatusAtStart(() =>
        {
            using var registry = RunRegistry.Open(root);
            return registry.List(new RunQuery()).Single().Status;
        });

        RunLauncher.Launch(options, RunLauncher.PrepareCorpus(options), observer);

        Assert.Equal("running", observer.Seen);
        using var registry = RunRegistry.Open(root);
        var run = Assert.Single(registry.List(new RunQuery())); // as recorded: no refresh
        Assert.Equal(("sweep/r", "finished", 4L), (run.Path, run.Status, run.Steps!.Value));
        Assert.NotNull(run.BestValLoss);
        Assert.Equal("16", run.Setting("hidden")!.Text);
        Assert.Empty(observer.Notes);
    }

    [Fact]
    public void A_registry_that_cannot_be_written_is_a_note_and_training_goes_on()
    {
        using var dir = new TempDir();
        var root = dir.File("runs");
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, RunRegistry.FileName), "not a database");
        var options = Options(dir, root);
        var observer = new StatusAtStart(() => null);

        var launched = RunLauncher.Launch(options, RunLauncher.PrepareCorpus(options), observer);

        Assert.Equal("reached step 4", launched.Result.StopReason);
        Assert.Equal(RunState.Finished, RunStatus.Read(launched.Run.Path)!.State);
        Assert.Equal(2, observer.Notes.Count); // at the start and at the end
        Assert.All(observer.Notes, note => Assert.StartsWith(
            $"the run registry {Path.Combine(root, RunRegistry.FileName)} was not updated ({root}/registry.db is not " +
            "an RnnLab run registry;", note));
    }

    private sealed class StatusAtStart(Func<string?> read) : ITrainingObserver
    {
        public string? Seen { get; private set; }

        public List<string> Notes { get; } = [];

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

        public void Note(string message) => Notes.Add(message);
    }
}

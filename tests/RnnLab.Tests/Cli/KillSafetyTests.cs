using RnnLab.Checkpoints;
using Xunit.Abstractions;

namespace RnnLab.Tests.Cli;

/// <summary>
/// Long runs end in the user's hands: a polite stop (Ctrl-C, SIGTERM) saves and exits cleanly, and
/// kill -9 at any moment, saves included, leaves checkpoints that load and a run that resumes.
/// </summary>
public sealed class KillSafetyTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public void A_stop_signal_saves_a_checkpoint_and_exits_with_130(string signal)
    {
        using var temp = new TempDir();
        var data = Corpus(temp);
        using var training = ChildProcess.Start(temp.Path, "train", "--data", data, "--out", "run",
            "--steps", "1000000",
            "--eval-every", "1000000", "--hidden", "16", "--layers", "1", "--embedding", "8", "--batch-size", "4",
            "--bptt", "16", "--log-every", "1");
        var metrics = temp.File("run/metrics.jsonl");
        training.WaitUntil(() => File.Exists(metrics) && File.ReadAllLines(metrics).Length >= 3,
            TimeSpan.FromMinutes(1));

        training.Signal(signal);
        var result = training.WaitForExit(TimeSpan.FromSeconds(60));

        result.Exits(130);
        Assert.Contains("stopped: interrupted", result.Stdout);
        var saved = Checkpoint.Load(temp.File("run/last.ckpt"));
        Assert.True(saved.Manifest.Progress.Step >= 3, $"saved at step {saved.Manifest.Progress.Step}");
        Assert.Empty(Directory.EnumerateFiles(temp.File("run"), "*.tmp-*"));
    }

    [Fact]
    public void Fifty_kills_during_saves_leave_loadable_checkpoints_and_a_run_that_resumes()
    {
        const int Kills = 50;
        using var temp = new TempDir();
        var data = Corpus(temp);
        // an evaluation, a sample and up to two checkpoint saves after every step, each save paused
        // 80 ms between writing and flushing: most of the time is spent inside saves, even when other
        // work on the machine slows the steps between them
        var pause = new Dictionary<string, string> { ["RNNLAB_TEST_SAVE_PAUSE_MS"] = "80" };
        string[] model = ["--hidden", "16", "--layers", "1", "--embedding", "8", "--batch-size", "4", "--bptt", "16",
            "--eval-every", "1", "--eval-batches", "1", "--sample-length", "5"];
        var last = temp.File("run/last.ckpt");
        var random = new Random(1);
        var steps = new List<long>();
        var midSave = 0;
        for (var kill = 0; kill < Kills; kill++)
        {
            var before = File.Exists(last) ? File.GetLastWriteTimeUtc(last) : DateTime.MinValue;
            using var training = kill == 0
                ? ChildProcess.Start(temp.Path, pause,
                    ["train", "--data", data, "--out", "run", "--steps", "1000000", .. model])
                : ChildProcess.Start(temp.Path, pause, "train", "--resume", "run", "--steps", "1000000");
            // wait for a save of this process (and for the first run's first best.ckpt, which is
            // written after last.ckpt), then kill at a random moment of the next ones
            var best = temp.File("run/best.ckpt");
            training.WaitUntil(() => File.Exists(last) && File.GetLastWriteTimeUtc(last) != before && File.Exists(best),
                TimeSpan.FromMinutes(1));
            Thread.Sleep(random.Next(0, 300));
            training.KillHard();
            // a save's temporary file left behind shows the kill landed inside that save
            midSave += Directory.EnumerateFiles(temp.File("run"), "*.tmp-*").Any() ? 1 : 0;

            foreach (var name in new[] { "last.ckpt", "best.ckpt" })
            {
                var checkpoint = Checkpoint.Load(temp.File($"run/{name}"));
                using var network = checkpoint.CreateModel(torch.CPU);
            }
            steps.Add(Checkpoint.Load(last).Manifest.Progress.Step);
        }

        var final = Support.Cli.Run(temp.Path, "train", "--resume", "run", "--steps", $"{steps[^1] + 3}").Exits(0);
        Assert.Contains($"step {steps[^1] + 3}", final.Stdout);
        output.WriteLine($"{Kills} kills, {midSave} inside a save; steps at each kill: {string.Join(",", steps)}");
        Assert.Equal(Kills, steps.Count);
        Assert.True(midSave >= Kills / 3, $"only {midSave} of {Kills} kills landed inside a save");
        Assert.True(steps.Zip(steps.Skip(1), (a, b) => b >= a).All(x => x), string.Join(",", steps));
        Assert.Empty(Directory.EnumerateFiles(temp.File("run"), "*.tmp-*"));
    }

    private static string Corpus(TempDir temp) => temp.Write("corpus.txt", Corpora.ShakespeareSlice(40_000));
}

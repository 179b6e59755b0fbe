namespace RnnLab.Tests.Cli;

// The command line as a user meets it: real processes, exit codes and messages on stderr.
public sealed class CliTests
{
    public static TheoryData<string, string> CellsAndModes()
    {
        var data = new TheoryData<string, string>();
        foreach (var cell in new[] { "rnn-tanh", "rnn-relu", "lstm", "gru" })
        {
            data.Add(cell, "stream");
            data.Add(cell, "documents");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(CellsAndModes))]
    public void DryRunRunsOneBatchOfEachKind(string cell, string mode)
    {
        using var dir = new TempDir();
        var lines = Enumerable.Range(0, 40).Select(i => Corpora.Tweets[i % 8] + i);
        var data = dir.Write("d.txt", string.Join("\n", lines));

        var result = global::RnnLab.Tests.Support.Cli.Run(dir.Path, "train", "--data", data, "--mode", mode,
            "--cell", cell, "--hidden", "16", "--batch-size", "4", "--dry-run");

        result.Exits(0);
        Assert.Contains($"dry run ok | {cell} {mode} |", result.Stdout);
        Assert.Contains("train window (4, ", result.Stdout);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "runs")), "a dry run must write no run folder");
    }

    public static TheoryData<string[], string> BadTrainInputs() => new()
    {
        { ["--data", "missing.txt", "--steps", "5"], "rnnlab: error: data file not found: missing.txt;" },
        {
            ["--data", "latin1.txt", "--steps", "5"],
            "rnnlab: error: latin1.txt is not valid UTF-8: bad byte 0xE9 at byte offset 4;"
        },
        {
            ["--data", "binary.bin", "--steps", "5"],
            "rnnlab: error: binary.bin looks like a binary file (NUL byte at byte offset 1)"
        },
        { ["--data", "empty.txt", "--steps", "5"], "rnnlab: error: empty.txt is empty (0 bytes)" },
        {
            ["--data", "tiny.txt", "--steps", "5"],
            "rnnlab: error: the training split has 9 characters, too few for --batch-size 32"
        },
        { ["--data", "ok.txt"], "rnnlab: error: training has no end; pass --epochs, --steps or --time-limit" },
        { ["--data", "ok.txt", "--steps", "5", "--cell", "transformer"],
            "rnnlab: error: unknown --cell 'transformer'; valid values: rnn-tanh, rnn-relu, lstm, gru" },
        { ["--data", "ok.txt", "--steps", "5", "--dropout", "1.5"],
            "rnnlab: error: --dropout 1.5 is out of range; allowed: 0 to 0.95" },
        { ["--data", "ok.txt", "--time-limit", "soon"],
            "rnnlab: error: --time-limit 'soon' is not a duration; use seconds or e.g. 90s, 10m, 1h30m" },
        { ["--data", "ok.txt", "--steps", "five"], "rnnlab: error: --steps needs a number" },
        {
            ["--data", "ok.txt", "--steps", "5", "--name", "../x"],
            "rnnlab: error: --name '../x' is not a plain name; use letters, digits"
        },
        { ["--data", "ok.txt", "--steps", "5", "--out", " "], "rnnlab: error: --out is empty; pass a folder" },
        {
            ["--config", "null.json", "--data", "ok.txt", "--steps", "5"],
            "rnnlab: error: null.json: not a valid RnnLab config: null values for: model;"
        },
        {
            ["--config", "escape.json", "--data", "ok.txt", "--steps", "5"],
            "rnnlab: error: --name '../../escape' is not a plain name; use letters, digits"
        },
        {
            ["--config", "typo.json", "--data", "ok.txt", "--steps", "5"],
            "rnnlab: error: unknown cell 'lsmt'; valid values: rnn-tanh, rnn-relu, lstm, gru"
        },
    };

    [Theory]
    [MemberData(nameof(BadTrainInputs))]
    public void BadInputExitsWithCodeTwoAndSaysWhy(string[] args, string expected)
    {
        using var dir = new TempDir();
        dir.WriteBytes("latin1.txt", [0x63, 0x61, 0x66, 0x65, 0xE9]);
        dir.WriteBytes("binary.bin", [0x41, 0x00, 0x42]);
        dir.Write("empty.txt", "");
        dir.Write("tiny.txt", "0123456789");
        dir.Write("ok.txt", Corpora.ShakespeareSlice(2_000));
        dir.Write("null.json", """{"model": null}""");
        dir.Write("typo.json", """{"model": {"cell": "lsmt"}}""");
        dir.Write("escape.json", """{"name": "../../escape"}""");

        var result = global::RnnLab.Tests.Support.Cli.Run(dir.Path, ["train", .. args]);

        result.Exits(2);
        Assert.StartsWith(expected, result.Stderr);
        Assert.False(Directory.Exists(dir.File("runs")), "bad input must leave no run folder");
    }

    [Fact]
    public void TrainSampleScoreEvalInfoEndToEnd()
    {
        using var dir = new TempDir();
        var data = dir.Write("text.txt", Corpora.ShakespeareSlice(6_000));
        var run = dir.File("run");
        var cli = (string[] args) => global::RnnLab.Tests.Support.Cli.Run(dir.Path, args);

        var train = cli(["train", "--data", data, "--steps", "6", "--eval-every", "3", "--log-every", "3",
            "--hidden", "16", "--batch-size", "8", "--out", run]);
        var sample = cli(["sample", "--checkpoint", run, "--prime", "First", "--length", "20", "--seed", "3"]);
        var samples = cli(["sample", "--checkpoint", run, "--num-samples", "2", "--length", "10", "--seed", "3"]);
        var score = cli(["score", "--checkpoint", run, "--text", "Citizen", "--json"]);
        var eval = cli(["eval", "--checkpoint", run, "--data", data]);
        var info = cli(["info", "--checkpoint", run]);
        var cold = cli(["sample", "--checkpoint", run, "--temperature", "0"]);
        var unknown = cli(["sample", "--checkpoint", run, "--prime", "§"]);

        train.Exits(0);
        Assert.Contains("step 6/6 | epoch 1 | loss ", train.Stdout);
        Assert.Contains("eval step 6 |", train.Stdout);
        Assert.Equal(new[] { "best.ckpt", "config.json", "last.ckpt", "metrics.jsonl", "samples.txt", "status.json",
            "vocab.json" },
            Directory.GetFiles(run).Select(Path.GetFileName).Order());
        sample.Exits(0);
        Assert.StartsWith("First", sample.Stdout);
        Assert.Equal(25, CorpusReader.Scalars(sample.Stdout.TrimEnd('\n')).Length);
        Assert.Contains("--- sample 2 ---", samples.Stdout);
        score.Exits(0);
        Assert.Contains("\"character\":\"i\"", score.Stdout);
        Assert.Matches(@"\| loss \d\.\d{4} nats/char \| bpc \d\.\d{3} \| ppl \d+\.\d{2} \|", eval.Stdout);
        Assert.Contains("model       lstm | 2 layers | hidden 16", info.Stdout);
        Assert.Contains("progress    step 6 |", info.Stdout);
        cold.Exits(2);
        Assert.StartsWith("rnnlab: error: --temperature must be > 0 (got 0)", cold.Stderr);
        unknown.Exits(2);
        Assert.StartsWith("rnnlab: error: the prime text has characters the model's vocabulary lacks: '§'",
            unknown.Stderr);
    }

    [Fact]
    public void SampleRefusesBadOptionsAndMissingCheckpoints()
    {
        using var dir = new TempDir();

        var missing = global::RnnLab.Tests.Support.Cli.Run(dir.Path, "sample", "--checkpoint", "nowhere");
        var noFlag = global::RnnLab.Tests.Support.Cli.Run(dir.Path, "sample");

        missing.Exits(2);
        Assert.Equal("rnnlab: error: checkpoint not found: nowhere (pass a run folder or a .ckpt file)\n",
            missing.Stderr);
        noFlag.Exits(2);
        Assert.Contains("--checkpoint is required", noFlag.Stderr);
    }

    [Fact]
    public void RunFolderIsNeverOverwritten()
    {
        using var dir = new TempDir();
        var data = dir.Write("text.txt", Corpora.ShakespeareSlice(3_000));
        Directory.CreateDirectory(dir.File("run"));
        File.WriteAllText(Path.Combine(dir.File("run"), "keep.txt"), "mine");

        var result = global::RnnLab.Tests.Support.Cli.Run(dir.Path, "train", "--data", data, "--steps", "2",
            "--out", dir.File("run"));

        result.Exits(2);
        Assert.Contains("already exists and is not empty", result.Stderr);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(dir.File("run"), "keep.txt")));
    }
}

using System.Text.Json;

namespace RnnLab.Tests.Cli;

// rnnlab seq2seq train, translate and attention, as a user meets them.
public sealed class Seq2SeqCliTests
{
    private static CliResult Run(TempDir dir, params string[] args) =>
        global::RnnLab.Tests.Support.Cli.Run(dir.Path, args);

    // a copy task with a twist: the target is the source reversed
    private static string Pairs(TempDir dir)
    {
        var random = new Random(1);
        var lines = Enumerable.Range(0, 60).Select(_ =>
        {
            var word = new string(Enumerable.Range(0, random.Next(2, 6)).Select(_ => (char)('a' + random.Next(5)))
                .ToArray());
            return $"{word}\t{new string(word.Reverse().ToArray())}";
        });
        return dir.Write("pairs.tsv", string.Join("\n", lines) + "\n");
    }

    private static void Train(TempDir dir, string attention = "dot") =>
        Run(dir, "seq2seq", "train", "--data", Pairs(dir), "--epochs", "2", "--hidden", "16", "--embedding", "8",
            "--batch-size", "16", "--attention", attention, "--beam", "2", "--out", "run").Exits(0);

    [Fact]
    public void TrainTranslateAndDrawAttentionEndToEnd()
    {
        using var dir = new TempDir();

        Train(dir);

        foreach (var file in new[] { "best.ckpt", "last.ckpt", "config.json", "vocab.json", "splits.json",
                     "metrics.jsonl", "samples.txt", "status.json", "test-metrics.json", "test-outputs.tsv" })
        {
            Assert.True(File.Exists(dir.File($"run/{file}")), $"run folder lacks {file}");
        }
        var test = JsonDocument.Parse(File.ReadAllText(dir.File("run/test-metrics.json"))).RootElement;
        Assert.Equal(6, test.GetProperty("greedy").GetProperty("pairs").GetInt32());
        Assert.Equal(2, test.GetProperty("beam_width").GetInt32());
        Assert.Contains("\"state\": \"Finished\"", File.ReadAllText(dir.File("run/status.json")));

        var arguments = Run(dir, "seq2seq", "translate", "--checkpoint", "run", "--beam", "1", "abc", "dde").Exits(0);
        Assert.Equal(2, arguments.Stdout.TrimEnd().Split('\n').Length);
        File.WriteAllText(dir.File("in.txt"), "abc\n\ndde\n");
        var piped = RunWithInput(dir, dir.File("in.txt"), "seq2seq", "translate", "--checkpoint", "run", "--beam",
            "1");
        var outputs = arguments.Stdout.Split('\n');
        Assert.Equal($"{outputs[0]}\n\n{outputs[1]}\n", piped); // the blank line keeps its place
        var json = Run(dir, "seq2seq", "translate", "--checkpoint", "run", "--json", "abc").Exits(0);
        var record = JsonDocument.Parse(json.Stdout).RootElement;
        Assert.Equal("abc", record.GetProperty("source").GetString());
        Assert.Equal(5, record.GetProperty("beam").GetInt32());

        var map = Run(dir, "seq2seq", "attention", "--checkpoint", "run", "abcd", "--out", "map.png").Exits(0);
        Assert.Contains("attention map: map.png", map.Stdout);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(dir.File("map.png"))[..4]);
        var folder = Run(dir, "seq2seq", "attention", "--checkpoint", "run", "abcd", "--out", "run").Exits(2);
        Assert.Equal($"rnnlab: error: --out run is a folder; pass the PNG file to write, such as " +
            $"{Path.Combine("run", "attention.png")}\n", folder.Stderr);
    }

    [Fact]
    public void AttentionRefusesAModelWithoutAttention()
    {
        using var dir = new TempDir();
        Train(dir, "none");

        var result = Run(dir, "seq2seq", "attention", "--checkpoint", "run", "abc").Exits(2);

        Assert.Equal("rnnlab: error: run was trained with --attention none: it has no attention weights to draw; " +
            "pass a run trained with dot, general or concat\n", result.Stderr);
    }

    [Fact]
    public void DryRunOnCmudictReadsTheWordsAndPhonemes()
    {
        using var dir = new TempDir();

        var result = Run(dir, "seq2seq", "train", "--data", Path.Combine(Paths.SharedData, "cmudict", "cmudict.dict"),
            "--max-chars", "6", "--hidden", "16", "--dry-run").Exits(0);

        Assert.Contains("pairs read", result.Stdout);
        Assert.Contains("dry run ok | lstm | attention general |", result.Stdout);
        Assert.False(Directory.Exists(dir.File("runs")));
    }

    public static TheoryData<string[], string> BadInputs() => new()
    {
        {
            ["seq2seq", "train", "--data", "nowhere.tsv", "--epochs", "1"],
            "rnnlab: error: data not found: nowhere.tsv; pass a file of 'source<TAB>target' lines\n"
        },
        {
            ["seq2seq", "train", "--data", "notabs.tsv", "--format", "tsv", "--epochs", "1"],
            "rnnlab: error: notabs.tsv: line 2 has no tab; each line is 'source<TAB>target' (pass --format cmudict " +
            "for 'word PHONEMES' lines)\n"
        },
        {
            ["seq2seq", "train", "--data", "notabs.tsv", "--epochs", "1", "--attention", "bahdanau"],
            "rnnlab: error: unknown --attention 'bahdanau'; valid values: none, dot, general, concat\n"
        },
        {
            ["seq2seq", "train", "--data", "notabs.tsv", "--epochs", "1", "--cell", "elman"],
            "rnnlab: error: --cell elman is the classifier's hand-built cell; use rnn-tanh, rnn-relu, lstm or gru\n"
        },
        {
            ["seq2seq", "train", "--data", "notabs.tsv"],
            "rnnlab: error: training has no end; pass --epochs, --steps or --time-limit (e.g. --time-limit 5m)\n"
        },
        {
            ["seq2seq", "translate", "--checkpoint", "missing-run", "hello"],
            "rnnlab: error: checkpoint not found: missing-run (pass a run folder or a .ckpt file)\n"
        },
        {
            ["seq2seq", "translate", "--checkpoint", "notabs.tsv", "hello"],
            "rnnlab: error: notabs.tsv is not an RnnLab checkpoint (it is not a zip archive; was it written by " +
            "another tool?)\n"
        },
        {
            ["seq2seq", "translate", "hello"],
            "rnnlab: error: --checkpoint is required: pass a run folder or a .ckpt file\n"
        },
        {
            ["seq2seq", "translate", "--checkpoint", "x", "--beam", "0", "hello"],
            "rnnlab: error: --beam must be 1 to 256, not 0\n"
        },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void BadInputIsRefusedWithTheReason(string[] args, string message)
    {
        using var dir = new TempDir();
        dir.Write("notabs.tsv", "a\tb\nno tab here\n");

        var result = Run(dir, args).Exits(2);

        Assert.Equal(message, result.Stderr);
    }

    private static string RunWithInput(TempDir dir, string input, params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo("bash")
        {
            WorkingDirectory = dir.Path, RedirectStandardOutput = true, UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"dotnet \"$0\" \"$@\" < '{input}'");
        start.ArgumentList.Add(Paths.CliDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return output;
    }
}

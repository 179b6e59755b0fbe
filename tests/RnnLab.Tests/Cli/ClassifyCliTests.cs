using System.Text.Json;

namespace RnnLab.Tests.Cli;

// rnnlab classify and the class-conditioned language model, as a user meets them.
public sealed class ClassifyCliTests
{
    private static CliResult Run(TempDir dir, params string[] args) =>
        global::RnnLab.Tests.Support.Cli.Run(dir.Path, args);

    // two easy classes: names of vowels-then-k and names of consonants-then-z
    private static string Folder(TempDir dir)
    {
        var folder = Directory.CreateDirectory(dir.File("classes")).FullName;
        var kish = Enumerable.Range(0, 40).Select(i => $"a{new string('e', 1 + i % 6)}{i}k");
        var zed = Enumerable.Range(0, 40).Select(i => $"b{new string('r', 1 + i % 4)}{i}z");
        File.WriteAllText(Path.Combine(folder, "Kish.txt"), string.Join("\n", kish));
        File.WriteAllText(Path.Combine(folder, "Zed.txt"), string.Join("\n", zed));
        return folder;
    }

    [Fact]
    public void DryRunOnTheNamesReadsSplitsAndRunsOneBatch()
    {
        using var dir = new TempDir();

        var result = Run(dir, "classify", "train", "--data", Paths.Names, "--cell", "gru", "--bidirectional",
            "--dry-run");

        result.Exits(0);
        Assert.Contains("| 18 classes | 14,408 train / 1,802 val / 1,802 test items | 2,038 duplicate items dropped",
            result.Stdout);
        Assert.Contains("dry run ok | gru bidirectional | 18 classes | vocab 87 |", result.Stdout);
        Assert.Contains("-> scores (64, 18)", result.Stdout);
        Assert.False(Directory.Exists(dir.File("runs")));
    }

    [Fact]
    public void TrainPredictAndEvalEndToEnd()
    {
        using var dir = new TempDir();
        var folder = Folder(dir);

        var train = Run(dir, "classify", "train", "--data", folder, "--epochs", "12", "--hidden", "16",
            "--batch-size", "8", "--lr", "0.02", "--warmup-steps", "0", "--val-fraction", "0.2",
            "--test-fraction", "0.2", "--out", "run");

        train.Exits(0);
        Assert.Contains("stopped: reached 12 epochs", train.Stdout);
        foreach (var file in new[] { "best.ckpt", "last.ckpt", "config.json", "classes.json", "metrics.jsonl",
                     "test-metrics.json", "confusion-test.txt", "confusion-test.png" })
        {
            Assert.True(File.Exists(dir.File($"run/{file}")), $"run folder lacks {file}");
        }
        var png = File.ReadAllBytes(dir.File("run/confusion-test.png"));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        var test = JsonDocument.Parse(File.ReadAllText(dir.File("run/test-metrics.json"))).RootElement;
        Assert.Equal(1.0, test.GetProperty("accuracy").GetDouble());
        Assert.Equal(16, test.GetProperty("items").GetInt64());

        var predict = Run(dir, "classify", "predict", "--checkpoint", "run", "--top", "2", "aeeek", "brrz");
        predict.Exits(0);
        var lines = predict.Stdout.Trim().Split('\n');
        Assert.StartsWith("aeeek: Kish 0.", lines[0]);
        Assert.StartsWith("brrz: Zed 0.", lines[1]);
        Assert.Contains(", Zed 0.", lines[0]);

        var json = Run(dir, "classify", "predict", "--checkpoint", "run", "--json", "--top", "5", "aek");
        var top = JsonDocument.Parse(json.Exits(0).Stdout).RootElement.GetProperty("top");
        Assert.Equal(2, top.GetArrayLength()); // --top is capped at the class count
        Assert.Equal(1.0, top.EnumerateArray().Sum(p => p.GetProperty("probability").GetDouble()), 4);

        var unseen = Run(dir, "classify", "predict", "--checkpoint", "run", "aé!k");
        unseen.Exits(0);
        Assert.Contains("note: 'aé!k': 'é' '!' not seen in training; read as <unk>", unseen.Stderr);

        var eval = Run(dir, "classify", "eval", "--checkpoint", "run", "--data", folder, "--confusion-png", "c.png");
        eval.Exits(0);
        Assert.StartsWith("accuracy 1.0000 | macro-F1 1.0000 | 80 items", eval.Stdout);
        Assert.True(File.Exists(dir.File("c.png")));

        // one class of the two: the average is over the class that occurs
        Directory.CreateDirectory(dir.File("one"));
        File.Copy(Path.Combine(folder, "Zed.txt"), dir.File("one/Zed.txt"));
        var one = Run(dir, "classify", "eval", "--checkpoint", "run", "--data", "one");
        Assert.StartsWith("accuracy 1.0000 | macro-F1 1.0000 | 40 items", one.Exits(0).Stdout);
    }

    [Fact]
    public void PredictReadsStandardInputInOrder()
    {
        using var dir = new TempDir();
        Run(dir, "classify", "train", "--data", Folder(dir), "--epochs", "12", "--hidden", "16", "--batch-size", "8",
            "--lr", "0.02", "--warmup-steps", "0", "--val-fraction", "0.2", "--test-fraction", "0.2", "--out", "run")
            .Exits(0);
        var names = new[] { "brrrrz", "ak", "aeeeeeek", "bz", "brz", "aeek" };
        File.WriteAllText(dir.File("names.txt"), string.Join("\n", names) + "\n");

        var result = RunWithInput(dir, dir.File("names.txt"), "classify", "predict", "--checkpoint", "run",
            "--top", "1");

        var expected = names.Select(n => n.EndsWith('k') ? $"{n}: Kish" : $"{n}: Zed");
        Assert.Equal(expected, result.Trim().Split('\n').Select(line => line[..line.LastIndexOf(' ')]));
    }

    public static TheoryData<string[], string> BadInputs() => new()
    {
        { ["classify", "train", "--data", "nowhere", "--epochs", "1"], "rnnlab: error: data not found: nowhere;" },
        {
            ["classify", "train", "--data", "empty-class", "--epochs", "1"],
            "holds no items (it is empty or blank); fill it or remove it"
        },
        {
            ["classify", "train", "--data", "small-class", "--epochs", "1"],
            "rnnlab: error: class 'Rare' has 2 item(s); the split needs at least 3"
        },
        {
            ["classify", "train", "--data", "d.csv", "--epochs", "1"],
            "rnnlab: error: d.csv is a file: name its columns with --label-column and --text-column"
        },
        {
            [
                "classify", "train", "--data", "d.csv", "--label-column", "lang", "--text-column", "name",
                "--epochs", "1",
            ],
            "rnnlab: error: d.csv: row 3 has no label in column 'lang'"
        },
        {
            ["classify", "train", "--data", "small-class", "--cell", "elman", "--layers", "2", "--epochs", "1"],
            "rnnlab: error: --cell elman is one hand-built layer in one direction"
        },
        {
            ["classify", "train", "--data", "small-class"],
            "rnnlab: error: training has no end; pass --epochs, --steps or --time-limit"
        },
        {
            ["classify", "train", "--data", "small-class", "--imbalance", "magic", "--epochs", "1"],
            "rnnlab: error: unknown --imbalance 'magic'; valid values: plain, weighted, sqrt-weighted, balanced"
        },
        {
            ["classify", "predict", "--checkpoint", "lm.ckpt", "x"],
            "rnnlab: error: lm.ckpt is a language-model checkpoint, not a classifier; use it with 'rnnlab sample'"
        },
        {
            ["classify", "predict", "--checkpoint", "lm.ckpt", "--top", "2.5", "x"],
            "rnnlab: error: --top needs a whole number, not '2.5'; see --help"
        },
        {
            ["train", "--data", "small-class", "--condition-on-class", "--steps", "1"],
            "rnnlab: error: --condition-on-class reads a folder of <Class>.txt files"
        },
        {
            ["train", "--data", "d.csv", "--mode", "documents", "--condition-on-class", "--steps", "1"],
            "rnnlab: error: --condition-on-class needs --data to be a folder of <Class>.txt files; d.csv is not a " +
            "folder"
        },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void BadInputGetsAMessageAndExitCodeTwo(string[] args, string message)
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("empty-class"));
        dir.Write("empty-class/A.txt", "x\ny\nz\n");
        dir.Write("empty-class/B.txt", "");
        Directory.CreateDirectory(dir.File("small-class"));
        dir.Write("small-class/Common.txt", string.Join("\n", Enumerable.Range(0, 30).Select(i => $"n{i}")));
        dir.Write("small-class/Rare.txt", "r1\nr2\n");
        dir.Write("d.csv", "lang,name\nen,Smith\n,Ivanov\n");
        dir.WriteBytes("lm.ckpt", LanguageModelCheckpoint());

        var result = Run(dir, args);

        result.Exits(2);
        Assert.Contains(message, result.Stderr);
        Assert.False(Directory.Exists(dir.File("runs")), "a refused run must leave no folder");
    }

    [Fact]
    public void ConditionedLanguageModelSamplesForAClassAndIsJudged()
    {
        using var dir = new TempDir();
        var folder = Folder(dir);
        Run(dir, "classify", "train", "--data", folder, "--epochs", "12", "--hidden", "16", "--batch-size", "8",
            "--lr", "0.02", "--warmup-steps", "0", "--val-fraction", "0.2", "--test-fraction", "0.2", "--out", "judge")
            .Exits(0);
        Run(dir, "train", "--data", folder, "--mode", "documents", "--condition-on-class", "--hidden", "32",
            "--batch-size", "8", "--steps", "300", "--eval-every", "300", "--lr", "0.01", "--out", "gen").Exits(0);

        var result = Run(dir, "sample", "--checkpoint", "gen", "--class", "Zed", "--prime", "b",
            "--num-samples", "5", "--temperature", "0.5", "--seed", "1", "--judge", "judge");

        result.Exits(0);
        Assert.Equal(5, result.Stdout.Split("--- sample").Length - 1);
        Assert.Contains("classifier agreement: 5/5 (100.0%) of the samples judged Zed", result.Stdout);
        Assert.Contains("rnnlab: error: unknown --class 'Martian'; the model's classes: Kish, Zed",
            Run(dir, "sample", "--checkpoint", "gen", "--class", "Martian").Exits(2).Stderr);
        Assert.Contains("rnnlab: error: unknown --class 'zed' (did you mean 'Zed'?)",
            Run(dir, "sample", "--checkpoint", "gen", "--class", "zed").Exits(2).Stderr);
        Assert.Contains("rnnlab: error: --judge needs a classifier run (from 'rnnlab classify train'); gen/best.ckpt",
            Run(dir, "sample", "--checkpoint", "gen", "--class", "Zed", "--judge", "gen").Exits(2).Stderr);
        var plain = dir.Write("plain.txt", string.Join("\n", Enumerable.Range(0, 40).Select(i => $"akz{i}")));
        Assert.Contains("rnnlab: error: --init-from gen/best.ckpt: one of the two models is conditioned on a class",
            Run(dir, "train", "--init-from", "gen", "--data", plain, "--mode", "documents", "--steps", "2",
                "--batch-size", "4").Exits(2).Stderr);
        Assert.Contains("rnnlab: error: this model is conditioned on a class; pass --class",
            Run(dir, "sample", "--checkpoint", "gen").Exits(2).Stderr);
        Assert.Contains(
            "rnnlab: error: judge/best.ckpt is a classifier checkpoint; use it with 'rnnlab classify predict'",
            Run(dir, "sample", "--checkpoint", "judge").Exits(2).Stderr);
    }

    private static byte[] LanguageModelCheckpoint()
    {
        using var dir = new TempDir();
        var lines = Enumerable.Range(0, 40).Select(i => Corpora.Tweets[i % 8]);
        var data = dir.Write("d.txt", string.Join("\n", lines));
        Run(dir, "train", "--data", data, "--hidden", "8", "--batch-size", "2", "--steps", "1", "--out", "run")
            .Exits(0);
        return File.ReadAllBytes(dir.File("run/last.ckpt"));
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

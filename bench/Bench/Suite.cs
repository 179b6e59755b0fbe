using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace Bench;

internal sealed record Shape(int Hidden, int Batch)
{
    public override string ToString() => $"hidden {Hidden}, batch {Batch}";

    // multiply-adds per character of a 2-layer LSTM (embedding 64) and its decoder: matrix products only
    public double TrainFlopsPerChar(int vocabulary) =>
        6.0 * (4.0 * Hidden * (64 + Hidden) + 4.0 * Hidden * (2 * Hidden) + (double)Hidden * vocabulary);
}

/// <summary>
/// One model shape's training speed, char/s, with the matmul rate of rnnlab's process and peak memory.
/// </summary>
internal sealed record TrainRow(Shape Shape, double Ours, double Bare, double Torch, double Matmul,
    double OursRss, double BareRss, double TorchRss, double[] Ratios, int Vocabulary);

internal sealed record SampleRow(int Batch, JsonObject Ours, JsonObject Torch);

internal sealed record Preparation(double[] Cold, double Warm, JsonObject Process, JsonObject Padding);

internal sealed record LargeCorpus(long Bytes, JsonObject Cold, double ColdMs, JsonObject Warm, double WarmMs);

/// <summary>
/// The whole comparison in one run: every measurement in its own process (this program for
/// rnnlab and the bare loop, Debian's python3-torch for PyTorch), side by side on the same
/// machine, then docs/benchmarks.md.
/// </summary>
internal static class Suite
{
    public static readonly Shape Reference = new(256, 32);

    public static int Run(string report, bool quick)
    {
        var root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../.."));
        var data = Path.GetFullPath(Path.Combine(root, "../shared/data"));
        var shakespeare = Path.Combine(data, "tinyshakespeare/input.txt");
        var tweets = Path.Combine(data, "tweets/trump_tweets.txt");
        var work = Directory.CreateTempSubdirectory("rnnlab-bench-").FullName;
        try
        {
            var suite = new Runner(root, work, shakespeare, quick);
            var page = suite.All(tweets);
            File.WriteAllText(report, page);
            Console.Error.WriteLine($"bench: wrote {report}");
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private sealed class Runner(string root, string work, string text, bool quick)
    {
        private readonly string self = Path.Combine(AppContext.BaseDirectory, "Bench.dll");
        private readonly int cores = Environment.ProcessorCount;
        private readonly List<string> log = [];

        // seconds each side trains for after its warm-up
        private double Seconds => quick ? 3 : 15;

        public string All(string tweets)
        {
            var torchMatmul = Torch("matmul", "--threads", $"{cores}");
            var rounds = quick ? 1 : 5;
            var reference = TrainShape(Reference, rounds);
            var rows = new List<TrainRow> { reference };
            Shape[] scaling = [new(128, 32), new(512, 32), new(1024, 32), new(256, 1), new(256, 8), new(256, 128)];
            foreach (var shape in quick ? scaling[..1] : scaling)
            {
                rows.Add(TrainShape(shape, 1));
            }
            var profiles = new[] { Reference, new Shape(256, 1) }
                .Select(shape => (shape, Own("profile", text, $"{shape.Hidden}", $"{shape.Batch}", "5",
                    quick ? "5" : "40"))).ToArray();
            var sampling = Sampling();
            var preparation = Prepare(tweets);
            var large = Large();
            return Page.Write(root, rows, profiles, sampling, preparation, large, torchMatmul, log, quick);
        }

        // one model shape: rounds of bare and rnnlab back to back in alternating order, then PyTorch
        private TrainRow TrainShape(Shape shape, int rounds)
        {
            // a probe sizes the run: about 3 s of warm-up and Seconds of timed steps, in whole
            // log intervals of about a second each
            var probe = Own("bare", text, $"{shape.Hidden}", $"{shape.Batch}", "2", "3");
            var perStep = (double)probe["seconds"]! / 3;
            var unit = Math.Max(1, (int)Math.Round(1 / perStep));
            var warmup = 3 * unit;
            var steps = (int)Math.Max(3, Math.Round(Seconds / perStep / unit)) * unit;
            var ours = new List<JsonObject>();
            var bare = new List<JsonObject>();
            for (var round = 1; round <= rounds; round++)
            {
                var rnnlabFirst = round % 2 == 0;
                if (rnnlabFirst)
                {
                    ours.Add(Ours(shape, warmup, steps, unit, round));
                }
                bare.Add(Own("bare", text, $"{shape.Hidden}", $"{shape.Batch}", $"{warmup}", $"{steps}"));
                if (!rnnlabFirst)
                {
                    ours.Add(Ours(shape, warmup, steps, unit, round));
                }
                Say($"{shape} round {round}/{rounds}: rnnlab {ours[^1]["char_per_s"]} | bare {bare[^1]["char_per_s"]}" +
                    " char/s");
            }
            var torch = Torch("train", text, "--hidden", $"{shape.Hidden}", "--batch", $"{shape.Batch}",
                "--threads", $"{cores}", "--warmup", "2", "--seconds", $"{Seconds}", "--min-steps", "3");
            Say($"{shape}: PyTorch {torch["char_per_s"]} char/s");
            var ratios = ours.Zip(bare, (o, b) => (double)o["char_per_s"]! / (double)b["char_per_s"]!).ToArray();
            return new TrainRow(shape, Median(ours, "char_per_s"), Median(bare, "char_per_s"),
                (double)torch["char_per_s"]!, Median(ours, "matmul_gflops"), Median(ours, "peak_rss_mib"),
                Median(bare, "peak_rss_mib"), (double)torch["peak_rss_mib"]!, ratios,
                (int)bare[0]["vocab"]! + 4); // rnnlab's vocabulary adds <pad>, <bos>, <eos> and <unk>
        }

        private JsonObject Ours(Shape shape, int warmup, int steps, int logEvery, int round) =>
            Own(["train", $"{warmup}", Path.Combine(work, $"run-{shape.Hidden}-{shape.Batch}-{round}"), "--",
                "train", .. TrainFlags(shape, warmup + steps, logEvery)]);

        // the reference config spelled out, so a change of rnnlab's defaults cannot move the benchmark
        private string[] TrainFlags(Shape shape, int steps, int logEvery) =>
        [
            "--data", text, "--mode", "stream", "--cell", "lstm", "--layers", "2", "--hidden", $"{shape.Hidden}",
            "--embedding", "64", "--dropout", "0", "--batch-size", $"{shape.Batch}", "--bptt", "64",
            "--optimizer", "adam", "--lr", "0.002", "--clip-mode", "norm", "--clip", "5", "--schedule", "constant",
            "--warmup-steps", "0", "--steps", $"{steps}", "--log-every", $"{logEvery}", "--eval-every", "1000000000",
            "--eval-batches", "1", "--sample-length", "0", "--no-cache",
        ];

        private SampleRow[] Sampling()
        {
            // a checkpoint of the reference shape; speed does not depend on what the weights learned
            var model = Path.Combine(work, "sample-model");
            Own(["run", "--", "train", .. TrainFlags(Reference, 1, 1), "--out", model]);
            var rows = new List<SampleRow>();
            foreach (var batch in new[] { 1, 64 })
            {
                var length = quick ? 300 : batch == 1 ? 20000 : 2000;
                var ours = Own("sample", $"{batch}", "100", $"{length + 100}", "--", "sample", "--checkpoint", model,
                    "--temperature", "0.8", "--seed", "1");
                var torch = Torch("sample", text, "--batch", $"{batch}", "--threads", $"{cores}", "--chars",
                    $"{length}");
                rows.Add(new SampleRow(batch, ours, torch));
                Say($"sampling batch {batch}: rnnlab {ours["char_per_s"]} | PyTorch {torch["char_per_s"]} char/s");
            }
            return rows.ToArray();
        }

        // the "data:" line of `rnnlab train --dry-run`: read, decode, split, vocabulary, encode
        private Preparation Prepare(string tweets)
        {
            string[] flags = ["train", "--data", tweets, "--mode", "documents", "--dry-run"];
            var cold = new List<double>();
            JsonObject? process = null;
            for (var i = 0; i < (quick ? 1 : 5); i++)
            {
                var (json, output) = OwnWithOutput(["run", "--", .. flags, "--no-cache"]);
                cold.Add(PreparedMs(output, "prepared"));
                process ??= json;
            }
            var cache = Path.Combine(work, "cache");
            OwnWithOutput(["run", "--", .. flags, "--cache-dir", cache]);
            var warm = PreparedMs(OwnWithOutput(["run", "--", .. flags, "--cache-dir", cache]).Output, "from cache");
            Say($"tweets prepared in {Median(cold):F0} ms, from cache in {warm:F0} ms");
            var padding = Own("padding", tweets, "32", "64");
            Say($"tweets in batches of 32, windows of 64: {padding["padding_share"]} of positions are padding");
            return new Preparation(cold.ToArray(), warm, process!, padding);
        }

        // a generated corpus of about 1 GB: the reference text repeated, each copy numbered so no
        // two are the same; prepared as stream-mode training would prepare it
        private LargeCorpus Large()
        {
            var path = Path.Combine(work, "large.txt");
            var target = quick ? 64L << 20 : 1L << 30;
            var copy = File.ReadAllBytes(text);
            using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
            {
                for (var i = 0; file.Length < target; i++)
                {
                    file.Write(Encoding.UTF8.GetBytes($"== copy {i} ==\n"));
                    file.Write(copy, 0, (int)Math.Min(copy.Length, target - file.Length));
                }
            }
            var bytes = new FileInfo(path).Length;
            string[] flags = ["train", "--data", path, "--mode", "stream", "--dry-run", "--cache-dir",
                Path.Combine(work, "large-cache")];
            var (cold, coldOutput) = OwnWithOutput(["run", "--", .. flags]);
            var (warm, warmOutput) = OwnWithOutput(["run", "--", .. flags]);
            var coldMs = PreparedMs(coldOutput, "prepared");
            var warmMs = PreparedMs(warmOutput, "from cache");
            Say($"{bytes / 1e9:F2} GB corpus: prepared in {coldMs:F0} ms (peak {cold["peak_rss_mib"]} MiB), " +
                $"from cache in {warmMs:F0} ms (peak {warm["peak_rss_mib"]} MiB)");
            File.Delete(path);
            return new LargeCorpus(bytes, cold, coldMs, warm, warmMs);
        }

        private static double PreparedMs(string output, string source)
        {
            var marker = $"{source} in ";
            foreach (var line in output.Split('\n').Where(l => l.StartsWith("data: ", StringComparison.Ordinal)))
            {
                var at = line.IndexOf(marker, StringComparison.Ordinal);
                if (at >= 0)
                {
                    var digits = new string(line[(at + marker.Length)..].TakeWhile(char.IsAsciiDigit).ToArray());
                    return double.Parse(digits, CultureInfo.InvariantCulture);
                }
            }
            throw new InvalidOperationException($"no 'data: ... {marker}N ms' line in:\n{output}");
        }

        private JsonObject Own(params string[] args) => OwnWithOutput(args).Json;

        private (JsonObject Json, string Output) OwnWithOutput(string[] args) =>
            Start("dotnet", [self, .. args]);

        private JsonObject Torch(params string[] args) =>
            Start("/usr/bin/python3", [Path.Combine(root, "bench/peers/torch_peer.py"), .. args]).Json;

        // runs one measuring process; its last stdout line is its JSON result, its stderr is kept
        private (JsonObject Json, string Output) Start(string file, string[] args)
        {
            var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (process.ExitCode != 0 || lines.Length == 0 || !lines[^1].StartsWith('{'))
            {
                throw new InvalidOperationException(
                    $"{file} {string.Join(' ', args)} failed ({process.ExitCode}):\n{output}\n{error.Result}");
            }
            return (JsonNode.Parse(lines[^1])!.AsObject(), error.Result + output);
        }

        private void Say(string line)
        {
            log.Add(line);
            Console.Error.WriteLine($"bench: {line}");
        }
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1
            ? sorted[sorted.Length / 2]
            : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static double Median(IEnumerable<JsonObject> rows, string key) => Median(rows.Select(r => (double)r[key]!));
}

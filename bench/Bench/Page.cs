using System.Text;

namespace Bench;

/// <summary>docs/benchmarks.md: the goals with what was measured, the tables, the command and the machine.</summary>
internal static class Page
{
    public static string Write(string root, IReadOnlyList<TrainRow> rows,
        IReadOnlyList<(Shape Shape, System.Text.Json.Nodes.JsonObject Phases)> profiles,
        IReadOnlyList<SampleRow> sampling,
        Preparation preparation, LargeCorpus large, System.Text.Json.Nodes.JsonObject torchMatmul,
        IReadOnlyList<string> log, bool quick)
    {
        var page = new StringBuilder();
        void Line(string text = "") => page.Append(text).Append('\n');
        var reference = rows[0];
        var flops = reference.Shape.TrainFlopsPerChar(reference.Vocabulary);
        var ourGflops = reference.Ours * flops / 1e9;
        var share = ourGflops / reference.Matmul;
        var ratio = Suite.Median(reference.Ratios);
        var single = sampling.First(s => s.Batch == 1);
        var batched = sampling.First(s => s.Batch == 64);
        double Speed(System.Text.Json.Nodes.JsonObject o) => (double)o["char_per_s"]!;
        var tweetsMs = Suite.Median(preparation.Cold);
        var largePeak = Math.Max((double)large.Cold["peak_rss_mib"]!, (double)large.Warm["peak_rss_mib"]!);

        Line("# Benchmarks");
        Line();
        Line("rnnlab beside its peers, measured in one run on this machine: a bare TorchSharp loop with the same");
        Line("model and data (the floor of rnnlab's overhead), PyTorch from Debian's `python3-torch` with OpenBLAS");
        Line("running the same model, batch, window and optimizer, and the machine's own matrix-multiply rate.");
        Line("Ratios are the result; absolute speeds are context. Each measurement runs in its own process.");
        if (quick)
        {
            Line();
            Line("**Quick run** (`QUICK=1`): it shows that the benchmark runs; its numbers are too short to count.");
        }
        Line();
        Line("## Goals");
        Line();
        Line("| goal | measured | |");
        Line("|---|---:|---|");
        void Goal(string goal, string measured, bool met) =>
            Line($"| {goal} | {measured} | {(met ? "met" : "**not met**")} |");
        Goal("training (reference config) >= 0.97x the bare TorchSharp loop", $"{ratio:F3}x", ratio >= 0.97);
        Goal("training (reference config) >= 5x PyTorch-Debian", $"{reference.Ours / reference.Torch:F2}x",
            reference.Ours / reference.Torch >= 5);
        Goal("training's FLOP rate >= 85% of the matmul rate in the same process",
            $"{ourGflops:F1} of {reference.Matmul:F1} GFLOP/s = {100 * share:F1}%", share >= 0.85);
        Goal("sampling at batch 1 >= PyTorch-Debian", $"{Speed(single.Ours) / Speed(single.Torch):F2}x",
            Speed(single.Ours) >= Speed(single.Torch));
        Goal("sampling at batch 64 >= 3x PyTorch-Debian", $"{Speed(batched.Ours) / Speed(batched.Torch):F2}x",
            Speed(batched.Ours) >= 3 * Speed(batched.Torch));
        Goal("tweets corpus prepared in < 0.1 s", $"{tweetsMs:F0} ms", tweetsMs < 100);
        Goal($"a {large.Bytes / 1e9:F2} GB corpus prepared with peak memory < 1.5 GB",
            $"{largePeak * 1048576 / 1e9:F2} GB", largePeak * 1048576 < 1.5e9);
        Line();
        var bareShare = reference.Bare * flops / 1e9 / reference.Matmul;
        Line($"The bare TorchSharp loop itself reached {100 * bareShare:F1}% of that matmul rate on the reference " +
             "config: the FLOP goal's premise, a bare loop near 90%, does not hold for this machine's libtorch " +
             "(its sgemm runs at the rate above, its fused LSTM well below it).");
        Line();
        Line("## Training");
        Line();
        Line("2-layer LSTM, embedding 64, windows of 64, Adam (lr 0.002), global-norm clip 5, tinyshakespeare in");
        Line("stream mode; the first row is the reference config. Characters per second after the warm-up; GFLOP/s");
        Line("counts the matrix products of forward and backward (6 x multiply-adds per character) against the");
        Line("rate of 2048 x 2048 products measured in rnnlab's own process before it trained.");
        Line();
        Line("| shape | rnnlab char/s | bare char/s | PyTorch char/s | rnnlab / bare | rnnlab / PyTorch | " +
             "rnnlab GFLOP/s | of matmul | peak MiB rnnlab / bare / PyTorch |");
        Line("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var row in rows)
        {
            var gflops = row.Ours * row.Shape.TrainFlopsPerChar(row.Vocabulary) / 1e9;
            Line($"| {row.Shape} | {row.Ours:F0} | {row.Bare:F0} | {row.Torch:F0} | {Suite.Median(row.Ratios):F3} | " +
                 $"{row.Ours / row.Torch:F2} | {gflops:F1} | {100 * gflops / row.Matmul:F0}% | " +
                 $"{row.OursRss:F0} / {row.BareRss:F0} / {row.TorchRss:F0} |");
        }
        Line();
        Line($"The reference config ran {reference.Ratios.Length} rounds, each a back-to-back pair in alternating " +
             "order; rnnlab / bare is the median of the per-round ratios (" +
             string.Join(", ", reference.Ratios.Select(r => r.ToString("F3", CultureInfo.InvariantCulture))) +
             "). The other shapes ran one round each. PyTorch's 2048 x 2048 products (OpenBLAS) ran at " +
             $"{torchMatmul["gflops"]} GFLOP/s.");
        Line();
        Line("## Sampling");
        Line();
        Line("The reference model, temperature 0.8, one step per character with the state carried; rnnlab through");
        Line("`rnnlab sample` (output discarded), PyTorch as a user writes it: `model(ids, state)` one step at a time");
        Line("under `torch.no_grad()`, `multinomial`, each step's characters read back to the host.");
        Line();
        Line("| batch | rnnlab char/s | PyTorch char/s | rnnlab / PyTorch | rnnlab us/step | PyTorch us/step | " +
             "peak MiB rnnlab / PyTorch |");
        Line("|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var row in sampling)
        {
            Line($"| {row.Batch} | {Speed(row.Ours):F0} | {Speed(row.Torch):F0} | " +
                 $"{Speed(row.Ours) / Speed(row.Torch):F2} | {row.Ours["us_per_step"]} | " +
                 $"{row.Torch["us_per_step"]} | " +
                 $"{row.Ours["peak_rss_mib"]} / {row.Torch["peak_rss_mib"]} |");
        }
        Line();
        Line("## Preparing data");
        Line();
        Line("The `prepared in N ms` / `from cache in N ms` figure of `rnnlab train --dry-run`: read, decode,");
        Line("split, vocabulary and encoding, timed inside the process (.NET start-up not included).");
        Line();
        Line("| corpus | prepared, ms | from cache, ms | peak MiB of the process |");
        Line("|---|---:|---:|---:|");
        Line($"| tweets (documents mode), median of {preparation.Cold.Length} | {tweetsMs:F0} | " +
             $"{preparation.Warm:F0} | " +
             $"{preparation.Process["peak_rss_mib"]} |");
        Line($"| generated {large.Bytes / 1e9:F2} GB (stream mode) | {large.ColdMs:F0} | {large.WarmMs:F0} | " +
             $"{large.Cold["peak_rss_mib"]} prepared, {large.Warm["peak_rss_mib"]} from cache |");
        Line();
        Line("The generated corpus is tinyshakespeare repeated, each copy headed by its number. Documents are");
        Line("batched by length: in one epoch of the tweets (batches of 32, windows of 64) " +
             $"{100 * (double)preparation.Padding["padding_share"]!:F1}% of the positions are padding " +
             $"({preparation.Padding["targets"]} targets in {preparation.Padding["positions"]} positions).");
        Line();
        Line("## Where the time goes");
        Line();
        Line(Profile.Sentence(rows, profiles));
        Line();
        Line("## Command");
        Line();
        Line("```");
        Line(quick ? "QUICK=1 bench/benchmarks.sh" : "bench/benchmarks.sh");
        Line("```");
        Line();
        Line("It installs `python3-torch` and `libopenblas0-pthread` with apt when missing, builds rnnlab and");
        Line("bench/Bench in Release, and runs every measurement as its own process (bench/Bench/Suite.cs).");
        Line();
        Line("## Machine");
        Line();
        foreach (var fact in Machine.Facts(root))
        {
            Line($"- {fact}");
        }
        Line();
        Line("## Log");
        Line();
        Line("```");
        foreach (var line in log)
        {
            Line(line);
        }
        Line("```");
        return page.ToString();
    }
}

namespace RnnLab.Tests.Support;

/// <summary>
/// Run folders written by hand, as 'rnnlab train' leaves them (config.json, metrics.jsonl,
/// samples.txt), without training anything: a report test takes milliseconds.
/// </summary>
public static class HandRuns
{
    /// <summary>A config as 'rnnlab train' saves it, with the cell, learning rate and seed given.</summary>
    public static string Config(string cell = "lstm", double lr = 2e-3, int seed = 1, string name = "hand") =>
        new RunConfig
        {
            Name = name,
            Data = new DataConfig { Path = "input.txt" },
            Model = new ModelConfig { Cell = EnumNames.Parse<CellKind>(cell, "cell") },
            Optim = new OptimConfig { LearningRate = lr },
            Train = new TrainConfig { Steps = 300, Seed = seed },
        }.ToJson();

    /// <summary>
    /// A run with a train record and an eval record (if <paramref name="valBpc"/> has one) at steps 100,
    /// 200, 300..., the last evaluation's sample, and a line torn by a kill at the end of the metrics.
    /// </summary>
    public static string Write(
        string folder,
        string cell = "lstm",
        double lr = 2e-3,
        int seed = 1,
        double[]? valBpc = null,
        string sample = "ROMEO: so it goes")
    {
        valBpc ??= [3.0, 2.5, 2.2];
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "config.json"), Config(cell, lr, seed) + "\n");
        var metrics = new System.Text.StringBuilder();
        var samples = new System.Text.StringBuilder();
        for (var i = 0; i < Math.Max(3, valBpc.Length); i++)
        {
            var step = 100 * (i + 1);
            metrics.Append(CultureInfo.InvariantCulture, $"{{\"kind\":\"train\",\"step\":{step},\"epoch\":1,")
                .Append(CultureInfo.InvariantCulture, $"\"loss\":{3.0 - 0.5 * i},\"bpc\":4,\"lr\":0.002,\"grad\":0.5,")
                .Append("\"ms_per_step\":100,\"char_per_s\":20000}\n");
            if (i < valBpc.Length)
            {
                metrics.Append(CultureInfo.InvariantCulture, $"{{\"kind\":\"eval\",\"step\":{step},\"epoch\":1,")
                    .Append(CultureInfo.InvariantCulture, $"\"train_loss\":2,\"val_loss\":2,\"val_bpc\":{valBpc[i]},")
                    .Append("\"val_ppl\":4,\"best_val_loss\":2,\"improved\":true}\n");
                samples.Append(CultureInfo.InvariantCulture, $"--- step {step} ---\n")
                    .Append(i == valBpc.Length - 1 ? sample : $"an early sample {i}").Append('\n');
            }
        }
        File.WriteAllText(Path.Combine(folder, "metrics.jsonl"), metrics + "{\"kind\":\"train\",\"ste");
        File.WriteAllText(Path.Combine(folder, "samples.txt"), samples.ToString());
        return folder;
    }
}

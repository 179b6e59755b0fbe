using System.Text.Json.Nodes;
using RnnLab.Configuration;
using RnnLab.Data;
using TorchSharp;

namespace Bench;

/// <summary>
/// How much of a documents-mode epoch is padding: the batches group documents of similar length,
/// so the share of padded positions stays small (counted over one epoch of training windows).
/// </summary>
internal static class PaddingShare
{
    public static JsonObject Measure(string path, int batchSize, int bptt)
    {
        var data = new DataConfig { Path = path, Mode = CorpusMode.Documents };
        var corpus = CorpusPreparer.Prepare(data, 1337, null, null);
        using var windows = new DocumentWindows(corpus.Train, batchSize, bptt, torch.CPU, 1337, "training");
        long targets = 0, positions = 0;
        foreach (var window in windows.Windows(0))
        {
            targets += window.Tokens;
            positions += window.Target.numel();
            window.Dispose();
        }
        return new JsonObject
        {
            ["targets"] = targets,
            ["positions"] = positions,
            ["padding_share"] = Math.Round(1 - (double)targets / positions, 4),
        };
    }
}

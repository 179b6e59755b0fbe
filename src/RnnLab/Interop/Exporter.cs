using System.Text.Json;
using RnnLab.Checkpoints;
using RnnLab.Tracking;
using TorchSharp.PyBridge;

namespace RnnLab.Interop;

/// <summary>
/// Writes a language-model checkpoint as a directory PyTorch reads: the state dict under PyTorch's
/// own parameter names (model.pt for <c>torch.load</c>, or model.safetensors), config.json,
/// vocab.json and rnnlab_model.py, the same network as a PyTorch module.
/// </summary>
public static class Exporter
{
    /// <summary>Writes the directory whole or not at all; an existing non-empty one is refused.</summary>
    /// <returns>The files written, in the order a reader needs them.</returns>
    public static IReadOnlyList<string> Export(Checkpoint checkpoint, ExportFormat format, string directory,
        CancellationToken cancel = default)
    {
        StagedFolder.Publish(directory, "export", staging => WriteAll(checkpoint, format, staging, cancel), cancel);
        string[] files = [ExportFiles.Weights(format), ExportFiles.Config, ExportFiles.Vocab, ExportFiles.PythonModule];
        return files.Select(f => Path.Combine(directory, f)).ToArray();
    }

    private static void WriteAll(Checkpoint checkpoint, ExportFormat format, string folder, CancellationToken cancel)
    {
        using (var model = checkpoint.CreateModel(torch.CPU))
        using (var stream = File.Create(Path.Combine(folder, ExportFiles.Weights(format))))
        {
            // as PyTorch's state_dict() gives them: plain tensors, not leaves that require grad
            foreach (var parameter in model.parameters())
            {
                parameter.requires_grad = false;
            }
            if (format == ExportFormat.Pytorch)
            {
                model.save_py(stream, leaveOpen: true);
            }
            else
            {
                model.save_safetensors(stream, leaveOpen: true);
            }
            stream.Flush(flushToDisk: true);
        }
        cancel.ThrowIfCancellationRequested();
        var manifest = checkpoint.Manifest;
        var config = new ExportConfig
        {
            Model = manifest.Config.Model,
            Classes = manifest.Classes,
            Run = manifest.Config,
        };
        var vocabulary = ExportVocabulary.Of(checkpoint.Vocabulary);
        AtomicFile.WriteText(Path.Combine(folder, ExportFiles.Config),
            JsonSerializer.Serialize(config, ExportFiles.Json) + "\n");
        AtomicFile.WriteText(Path.Combine(folder, ExportFiles.Vocab),
            JsonSerializer.Serialize(vocabulary, ExportFiles.Json) + "\n");
        AtomicFile.WriteText(Path.Combine(folder, ExportFiles.PythonModule), PythonModule());
    }

    /// <summary>rnnlab_model.py: RnnLab's language model as a PyTorch module, to load an export with.</summary>
    public static string PythonModule()
    {
        using var stream = typeof(Exporter).Assembly.GetManifestResourceStream("RnnLab.Interop.rnnlab_model.py")
            ?? throw new InvalidOperationException("rnnlab_model.py is not embedded in the assembly");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

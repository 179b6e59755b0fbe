using RnnLab.Checkpoints;
using RnnLab.Data;
using RnnLab.Models;
using RnnLab.Tracking;

namespace RnnLab.Cli.Commands;

/// <summary>A checkpoint with its model and vocabulary, ready to use.</summary>
internal sealed record LoadedModel(Checkpoint Checkpoint, CharRnn Model, Vocabulary Vocabulary) : IDisposable
{
    public static LoadedModel Open(CheckpointSettings settings)
    {
        var checkpoint = Checkpoint.Load(RunFolder.ResolveCheckpoint(settings.Checkpoint));
        var model = checkpoint.CreateModel(Devices.Resolve(settings.Device));
        return new LoadedModel(checkpoint, model, checkpoint.Vocabulary);
    }

    public void Dispose() => Model.Dispose();
}

using System.Text.Json;
using RnnLab.Classification;
using RnnLab.Configuration;
using RnnLab.Data;
using RnnLab.Tracking;
using RnnLab.Training;

namespace RnnLab.Seq2Seq;

/// <summary>Creates the run folder and trains: the whole of <c>rnnlab seq2seq train</c>.</summary>
/// TODO: --resume, and telling the run registry at the start and end as RunLauncher does (left out
/// with the classifier's; status.json is written, so `rnnlab runs` finds the run at its next refresh).
public static class Seq2SeqLauncher
{
    public static (RunFolder Run, Seq2SeqResult Result) Launch(Seq2SeqConfig config, PreparedPairs data,
        string? outPath, IClassifierObserver observer, Device device, CancellationToken cancel = default)
    {
        var name = config.Name.Length > 0 ? config.Name : "seq2seq";
        var run = RunFolder.Create(outPath ?? RunFolder.DefaultPath(name), resumable: false);
        var status = new RunStatus { State = RunState.Running, Started = DateTime.UtcNow };
        Seq2SeqTrainer? trainer = null;
        try
        {
            run.WriteText("config.json", config.ToJson() + "\n");
            run.WriteText("vocab.json", JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["source"] = data.Source.Characters, ["target"] = data.Target.Characters,
            }, RunConfig.JsonOptions) + "\n");
            run.WriteText("splits.json", JsonSerializer.Serialize(new Dictionary<string, int>
            {
                ["lines_read"] = data.Data.LinesRead, ["filtered_out"] = data.Data.Filtered,
                ["train"] = data.Splits.Train.Length, ["validation"] = data.Splits.Validation.Length,
                ["test"] = data.Splits.Test.Length,
            }, RunConfig.JsonOptions) + "\n");
            status.Write(run.Path);
            trainer = new Seq2SeqTrainer(config, data, run, observer, device);
            var result = trainer.Run(cancel);
            (status with
            {
                State = result.StopReason == RunStatus.Interrupted ? RunState.Interrupted : RunState.Finished,
                Ended = DateTime.UtcNow, Step = result.Steps, Reason = result.StopReason,
            }).Write(run.Path);
            return (run, result);
        }
        catch (Exception e)
        {
            if (run.HasCheckpoint)
            {
                var cancelled = e is OperationCanceledException;
                (status with { State = cancelled ? RunState.Interrupted : RunState.Failed,
                    Ended = DateTime.UtcNow, Step = trainer?.Step ?? 0,
                    Reason = cancelled ? RunStatus.Interrupted : e.Message }).Write(run.Path);
            }
            else
            {
                // a run that failed before its first checkpoint leaves nothing behind
                run.DeleteIfEmptyOfCheckpoints();
            }
            throw;
        }
        finally
        {
            trainer?.Dispose();
            run.Dispose();
        }
    }

    /// <summary>One training step, one validation batch and one greedy decoding, printed; nothing is written.</summary>
    public static string DryRun(Seq2SeqConfig config, PreparedPairs data, Device device)
    {
        torch.manual_seed(config.Train.Seed);
        using var model = new Seq2SeqModel(config.Model, data.Source.Count, data.Target.Count).to(device);
        using var optimizer = OptimizerFactory.Create(config.Optim, model.parameters());
        var train = new PairBatches(data.Splits.Train, data.Source, data.Target, config.Train.BatchSize, device);
        using var scope = torch.NewDisposeScope();
        using var batch = train.Batch(train.Plan(0, config.Train.Seed)[0]);
        var logits = model.forward(batch, config.Train.TeacherForcing); // (B, T, V)
        var loss = Seq2SeqModel.Loss(logits, batch.Target);
        loss.backward();
        optimizer.step();
        var first = data.Splits.Validation[0];
        var decoded = Decoding.Greedy(model, [data.Source.EncodeText(first.Source)], data.MaxOutput(config))[0];
        var parameters = model.parameters().Sum(p => p.numel());
        return string.Create(CultureInfo.InvariantCulture,
            $"dry run ok | {EnumNames.Name(config.Model.Cell)}{(config.Model.Bidirectional ? " bidirectional" : "")}" +
            $" | attention {EnumNames.Name(config.Model.Attention)} | params {parameters:N0} | source " +
            $"({string.Join(", ", batch.Source.shape)}) target ({string.Join(", ", batch.Target.shape)}) -> logits " +
            $"({string.Join(", ", logits.shape)}) loss {loss.item<float>():F4} | untrained greedy: " +
            $"'{first.Source}' -> '{data.Target.DecodeText(decoded.Ids)}' | {train.BatchesPerEpoch:N0} batches " +
            $"per epoch");
    }
}

using RnnLab.Data;

namespace RnnLab.Training;

// evaluation: the validation loss, the diagnostics, the report and the checkpoints it saves
public sealed partial class Trainer
{
    private CancellationToken stopSignal; // the run's, for evaluations that a signal should cut short

    private void Evaluate(bool final, int? maxBatches = null)
    {
        var batches = maxBatches is { } most && (config.Train.EvalBatches == 0 || config.Train.EvalBatches > most)
            ? most
            : config.Train.EvalBatches;
        EvalResult result;
        // the last evaluation of a stopped run
        var stopped = maxBatches == Evaluator.StopBatches && batches == Evaluator.StopBatches;
        try
        {
            result = Evaluator.Evaluate(Model, windows.Validation, batches, stopped ? default : stopSignal);
        }
        catch (OperationCanceledException)
        {
            // a stop signal during an evaluation (the whole split can take minutes): read a few
            // windows instead, as the last evaluation of a stopped run does
            result = Evaluator.Evaluate(Model, windows.Validation, Evaluator.StopBatches);
            stopped = true;
        }
        if (!double.IsFinite(result.Loss))
        {
            // weights that give a non-finite validation loss are never saved or kept as good
            lastEvaluatedStep = progress.Step;
            RecoverFromNonFinite(progress.Step, "validation loss");
            return;
        }
        // a loss from a few windows is not compared with whole-split ones (unless there is none yet)
        var improved = result.Loss < progress.BestValidationLoss
            && (!stopped || double.IsPositiveInfinity(progress.BestValidationLoss));
        if (!final)
        {
            // the final evaluation only reports: it must not change what a resumed run would do
            schedule.OnEvaluation(result.Loss);
            progress = progress with
            {
                EvalsWithoutImprovement = improved ? 0 : progress.EvalsWithoutImprovement + 1,
            };
        }
        if (improved)
        {
            progress = progress with { BestValidationLoss = result.Loss, BestStep = progress.Step };
        }
        lastEvaluation = result;
        lastEvaluatedStep = progress.Step;
        var exposure = diagnostics?.Measure(Model, windows.Validation, config.Train.Seed + (int)progress.Step,
            professor);
        var report = new EvalReport(progress.Step, stepEpoch, lastTrainLoss, result, progress.BestValidationLoss,
            improved)
        {
            StoppedAt = stopped ? Evaluator.StopBatches : null,
            Exposure =
            [
                .. exposure?.Values() ?? [],
                .. professor is null ? Array.Empty<(string, double)>() : [("d_acc", professor.Gate.RunningAccuracy)],
            ],
        };
        run.AppendMetrics(report.ToRecord());
        var samples = Samples();
        SaveCheckpoint(run.Last, result.Loss);
        if (improved)
        {
            SaveCheckpoint(run.Best, result.Loss);
        }
        lastGood = StateBytes.Model(Model);
        observer.Evaluated(report, samples);
    }
}

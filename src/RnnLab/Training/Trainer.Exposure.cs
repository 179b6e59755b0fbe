using RnnLab.Configuration;
using RnnLab.Data;
using RnnLab.Models;

namespace RnnLab.Training;

// B batch, b rows that run free, T time, H hidden, V vocabulary. Batch-first.

// what the model reads while it learns: scheduled sampling and Professor Forcing's free runs
public sealed partial class Trainer
{
    // teacher forcing through the fused module; scheduled sampling step by step once its
    // probability is above 0 (before that it is teacher forcing, at the fused module's speed)
    private (Tensor Logits, Tensor Output, RecurrentState State) Forward(Window window, long step)
    {
        sampleProbability = config.Exposure.Mode == Exposure.Scheduled
            ? SamplingSchedule.At(config.Exposure, step)
            : 0;
        return sampleProbability > 0
            ? SelfFedUnroll.Run(Model, window.Input, hidden, sampleProbability, config.Exposure.FreeRunning)
            : Model.Run(window.Input, hidden, window.Classes);
    }

    private (Tensor Teacher, Tensor Free, Tensor? Term) Adversarial(Window window, Tensor logits, Tensor output)
    {
        // the first rows only, when so configured: b of B
        var (input, start) = (window.Input, hidden);
        var rows = config.Exposure.ProfessorRows;
        if (rows > 0 && rows < input.shape[0])
        {
            (input, logits, output) = (input.narrow(0, 0, rows), logits.narrow(0, 0, rows), output.narrow(0, 0, rows));
            start = hidden is null
                ? null
                : new RecurrentState(hidden.H.narrow(1, 0, rows), hidden.C?.narrow(1, 0, rows));
        }

        // while the gate holds the generator's term back, only the discriminator reads this free run,
        // and it reads it cut from the graph: no graph to record (the same draws, so the same run)
        using var noGrad = professor!.Gate.GeneratorLearns ? null : torch.no_grad();
        var (freeLogits, freeOutput, _) = SelfFedUnroll.Run(Model, input, start, 1,
            config.Exposure.FreeRunning); // (b, T, V), (b, T, H)
        var teacher = professor.Behaviour(output, logits);
        var free = professor.Behaviour(freeOutput, freeLogits);
        return (teacher, free, professor.GeneratorTerm(teacher, free));
    }
}

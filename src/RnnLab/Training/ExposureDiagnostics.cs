using RnnLab.Configuration;
using RnnLab.Data;
using RnnLab.Models;
using RnnLab.Sampling;

namespace RnnLab.Training;

// B batch, T time, H hidden, N points. Batch-first.

/// <summary>What an evaluation measures about exposure bias (see <see cref="ExposureDiagnostics"/>).</summary>
/// <param name="HiddenDistance">RBF-kernel MMD² between teacher-forced and free-running top-layer states.</param>
/// <param name="HiddenFrechet">Squared Fréchet distance between the same two sets (<see cref="Frechet"/>).</param>
/// <param name="ValidationAccuracy">Professor Forcing: the discriminator's accuracy on the same validation
/// windows (null otherwise).</param>
public sealed record ExposureReport(
    double HiddenDistance,
    double HiddenFrechet,
    double Repetition,
    double Novelty,
    double? ValidationAccuracy)
{
    public IReadOnlyList<(string Name, double Value)> Values() =>
    [
        ("val_hidden_mmd", HiddenDistance), ("val_hidden_frechet", HiddenFrechet), ("repetition", Repetition),
        ("novelty", Novelty),
        .. ValidationAccuracy is { } accuracy ? [("val_d_acc", accuracy)] : Array.Empty<(string, double)>(),
    ];
}

/// <summary>
/// Exposure-bias diagnostics at an evaluation, on fixed random draws (their own generator, seeded
/// by the run's seed and step, so the training RNG is untouched and a resumed run repeats):
/// the first validation windows run teacher-forced with the state carried as in evaluation, and
/// free-running from the same starting state and first character, its own state carried from window
/// to window (one free run as long as the windows together, which is where drift builds up); the
/// distances between the two sets of top-layer hidden states (up to 1,024 of each, drawn at random)
/// are an RBF-kernel MMD² (<see cref="Mmd"/>) and a squared Fréchet distance (<see cref="Frechet"/>).
/// A long sample at temperature 1 gives the repetition and novelty of its n-grams (<see cref="NGramStats"/>).
/// </summary>
public sealed class ExposureDiagnostics(ExposureConfig config, PreparedCorpus corpus, CorpusMode mode)
{
    private const int MaxPoints = 1024;
    private readonly Lazy<HashSet<UInt128>> trainGrams =
        new(() => NGramStats.Set(corpus.Train.Ids, config.NGram));

    public ExposureReport Measure(CharRnn model, IWindowSource validation, int seed, ProfessorForcing? professor)
    {
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var generator = new Generator((ulong)seed);
            var (distance, frechet, accuracy) = Distance(model, validation, generator, professor);
            var sample = new Sampler(model, corpus.Vocabulary, mode).Generate(new SampleOptions
            {
                Length = config.DiagnosticLength, Temperature = 1, Seed = seed,
            })[0];
            var ids = corpus.Vocabulary.EncodeText(sample).ToArray();
            return new ExposureReport(distance, frechet, NGramStats.Repetition(ids, config.NGram),
                NGramStats.Novelty(ids, config.NGram, trainGrams.Value), accuracy);
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    private (double Mmd, double Frechet, double? Accuracy) Distance(
        CharRnn model,
        IWindowSource validation,
        Generator generator,
        ProfessorForcing? professor)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var (teacher, free) = (new List<Tensor>(), new List<Tensor>());
        var (right, judged) = (0.0, 0);
        RecurrentState? state = null;
        (RecurrentState State, Tensor Next)? freeRun = null; // the free run's state and its next input
        foreach (var window in validation.Windows(0).Take(config.DiagnosticWindows))
        {
            using var _ = window;
            var (logits, output, next) = model.Run(window.Input, state, null); // (B, T, V), (B, T, H)
            var freeInput = window.Input; // (B, T): only its first column is read, and only at the start
            if (freeRun is { } carried)
            {
                freeInput = window.Input.clone();
                freeInput.select(1, 0).copy_(carried.Next);
            }
            var (freeLogits, freeOutput, freeState) = SelfFedUnroll.Run(model, freeInput,
                freeRun?.State ?? state, 1, config.FreeRunning, generator);
            freeRun = (freeState, SelfFedUnroll.Choose(freeLogits.select(1, -1), config.FreeRunning, generator));
            teacher.Add(output.reshape(-1, output.shape[2])); // (B·T, H)
            free.Add(freeOutput.reshape(-1, output.shape[2]));
            if (professor is not null)
            {
                right += professor.Accuracy(professor.Behaviour(output, logits),
                    professor.Behaviour(freeOutput, freeLogits));
                judged++;
            }
            state = next;
        }
        var (teacherPoints, freePoints) = (Subset(torch.cat(teacher), generator), Subset(torch.cat(free), generator));
        return (Mmd.RbfSquared(teacherPoints, freePoints), Frechet.Squared(teacherPoints, freePoints),
            judged > 0 ? right / judged : null);
    }

    private static Tensor Subset(Tensor points, Generator generator) => points.shape[0] <= MaxPoints
        ? points
        : points.index_select(0, torch.randperm(points.shape[0], generator: generator).narrow(0, 0, MaxPoints));
}

using RnnLab.Configuration;
using RnnLab.Models;

namespace RnnLab.Training;

// B batch, T time, H hidden, V vocabulary, F behaviour features (H, or H + V). Batch-first.

/// <summary>
/// Professor Forcing (Lamb, Goyal et al., 2016): the generator runs each window twice from the same
/// state and first character, teacher-forced and free-running; a <see cref="Discriminator"/> learns
/// to tell the two behaviour sequences apart, and the generator learns, beside its likelihood, to
/// make its free-running behaviour look teacher-forced. Both updates are gated by the
/// discriminator's running accuracy (<see cref="DiscriminatorGate"/>).
/// </summary>
public sealed class ProfessorForcing : IDisposable
{
    private readonly ExposureConfig config;
    private readonly double clip;
    private readonly Parameter[] parameters;
    private (int Steps, double Loss, double Accuracy, double Adversarial, int GeneratorSteps) interval;

    public ProfessorForcing(ExposureConfig config, CharRnn model, double clip)
    {
        this.config = config;
        this.clip = clip;
        var features = model.Config.Hidden + (config.DiscriminatorOutputs ? model.VocabularySize : 0);
        Discriminator = new Discriminator(features, config.DiscriminatorHidden).to(model.Device());
        parameters = Discriminator.parameters().ToArray();
        Optimizer = optim.Adam(parameters, config.DiscriminatorLearningRate);
        Gate = new DiscriminatorGate(config.GeneratorGate, config.DiscriminatorGate, config.AccuracyDecay);
    }

    public Discriminator Discriminator { get; }

    public OptimizerHelper Optimizer { get; }

    public DiscriminatorGate Gate { get; }

    /// <summary>What the discriminator reads: h_t (B, T, H), with the softmax (B, T, V) when configured.</summary>
    public Tensor Behaviour(Tensor output, Tensor logits) =>
        config.DiscriminatorOutputs ? torch.cat([output, logits.softmax(-1)], 2) : output; // (B, T, F)

    /// <summary>
    /// The generator's adversarial term for one window (null while the gate holds it back), from the
    /// teacher-forced and free-running behaviour; also folds this batch's accuracy into the gate.
    /// </summary>
    public Tensor? GeneratorTerm(Tensor teacher, Tensor free)
    {
        // the gate decides on the accuracy so far, then learns this batch's
        var learns = Gate.GeneratorLearns;
        var (onTeacher, onFree) = (Discriminator.forward(teacher), Discriminator.forward(free)); // (B) each
        using (torch.no_grad())
        {
            var right = onTeacher.gt(0).sum().add(onFree.le(0).sum());
            Gate.Observe(right.item<long>() / (2.0 * onTeacher.shape[0]));
        }
        if (!learns)
        {
            return null;
        }

        // free-running behaviour should be judged teacher-forced (label 1); optionally the reverse
        var term = nn.functional.binary_cross_entropy_with_logits(onFree, torch.ones_like(onFree))
            .mul(config.AdversarialWeight);
        if (config.TeacherWeight > 0)
        {
            term = term.add(nn.functional.binary_cross_entropy_with_logits(onTeacher, torch.zeros_like(onTeacher))
                .mul(config.TeacherWeight));
        }
        return term;
    }

    /// <summary>One discriminator step on the window's behaviour (cut from the generator), when the gate
    /// allows; <paramref name="adversarial"/> is the generator's term this step, for the log.</summary>
    public void DiscriminatorStep(Tensor teacher, Tensor free, double? adversarial)
    {
        interval = (interval.Steps + 1, interval.Loss, interval.Accuracy + Gate.RunningAccuracy,
            interval.Adversarial + (adversarial ?? 0), interval.GeneratorSteps + (adversarial is null ? 0 : 1));
        if (!Gate.DiscriminatorLearns)
        {
            return;
        }
        Optimizer.zero_grad();
        var loss = Loss(teacher.detach(), free.detach());
        loss.backward();
        nn.utils.clip_grad_norm_(parameters, clip);
        Optimizer.step();
        interval.Loss += loss.item<float>();
    }

    /// <summary>Binary cross-entropy of the discriminator: teacher-forced is 1, free-running 0.</summary>
    public Tensor Loss(Tensor teacher, Tensor free)
    {
        var (onTeacher, onFree) = (Discriminator.forward(teacher), Discriminator.forward(free)); // (B) each
        return nn.functional.binary_cross_entropy_with_logits(onTeacher, torch.ones_like(onTeacher))
            .add(nn.functional.binary_cross_entropy_with_logits(onFree, torch.zeros_like(onFree))).div(2);
    }

    /// <summary>Share of rows judged right (teacher-forced above 0.5, free-running at or below).</summary>
    public double Accuracy(Tensor teacher, Tensor free)
    {
        using var noGrad = torch.no_grad();
        var right = Discriminator.forward(teacher).gt(0).sum().add(Discriminator.forward(free).le(0).sum());
        return right.item<long>() / (2.0 * teacher.shape[0]);
    }

    /// <summary>
    /// The log interval's means over the steps that took part (<c>d_steps</c> of them, fewer than the
    /// interval's with <c>--professor-every</c>): discriminator loss, running accuracy, adversarial term,
    /// share of them with the generator gated in; then a fresh interval. With none, only the running
    /// accuracy: a mean of nothing would read as a measured 0.
    /// </summary>
    public IReadOnlyList<(string Name, double Value)> TakeInterval()
    {
        var steps = interval.Steps;
        (string, double)[] result = steps == 0
            ? [("d_steps", 0), ("d_acc", Gate.RunningAccuracy)]
            :
            [
                ("d_steps", steps), ("d_loss", interval.Loss / steps), ("d_acc", interval.Accuracy / steps),
                ("adv", interval.Adversarial / steps), ("g_gate", interval.GeneratorSteps / (double)steps),
            ];
        interval = default;
        return result;
    }

    public void Dispose()
    {
        Optimizer.Dispose();
        Discriminator.Dispose();
    }
}

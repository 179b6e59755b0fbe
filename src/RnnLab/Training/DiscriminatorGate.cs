namespace RnnLab.Training;

/// <summary>
/// Professor Forcing's gating by the discriminator's running accuracy: an adversarial signal from a
/// discriminator that cannot yet tell the two kinds of behaviour apart is noise, so the generator
/// ignores it below <c>generatorGate</c>; a discriminator that already wins almost always would only
/// grow more confident, so it stops learning above <c>discriminatorGate</c>. The running accuracy
/// is an exponential average of each batch's accuracy, starting at chance (0.5).
/// </summary>
public sealed class DiscriminatorGate(double generatorGate, double discriminatorGate, double decay)
{
    public double RunningAccuracy { get; set; } = 0.5;

    /// <summary>Whether the generator takes the adversarial term this step.</summary>
    public bool GeneratorLearns => RunningAccuracy >= generatorGate;

    /// <summary>Whether the discriminator takes a step this step.</summary>
    public bool DiscriminatorLearns => RunningAccuracy <= discriminatorGate;

    /// <summary>Folds one batch's accuracy into the running one.</summary>
    public void Observe(double batchAccuracy) =>
        RunningAccuracy = decay * RunningAccuracy + (1 - decay) * batchAccuracy;
}

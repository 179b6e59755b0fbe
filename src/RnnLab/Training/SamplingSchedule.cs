using RnnLab.Configuration;

namespace RnnLab.Training;

/// <summary>
/// Scheduled sampling's probability of reading the model's own sample at optimizer step i, after
/// Bengio et al. (2015), whose schedules decay the teacher-forcing probability ε; this is 1 - ε,
/// scaled to the maximum p_max:
/// <code>
///   linear            p = p_max · min(1, i / k)
///   exponential       p = p_max · (1 - e^(-i/k))
///   inverse-sigmoid   p = p_max · (1 - k / (k + e^(i/k)))      (k ≥ 1)
/// </code>
/// </summary>
public static class SamplingSchedule
{
    public static double At(ExposureConfig config, long step)
    {
        var (k, i) = (config.K, (double)step);
        var shape = config.Schedule switch
        {
            ExposureSchedule.Linear => Math.Min(1, i / k),
            ExposureSchedule.Exponential => 1 - Math.Exp(-i / k),
            ExposureSchedule.InverseSigmoid => 1 - k / (k + Math.Exp(Math.Min(i / k, 700))),
            _ => throw new ArgumentOutOfRangeException(nameof(config), config.Schedule, "unknown schedule"),
        };
        return config.MaxProbability * shape;
    }
}

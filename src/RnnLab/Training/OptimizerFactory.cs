using RnnLab.Configuration;

namespace RnnLab.Training;

/// <summary>Builds the optimizer a run owns, from its config.</summary>
public static class OptimizerFactory
{
    public static OptimizerHelper Create(OptimConfig config, IEnumerable<Parameter> parameters) =>
        config.Optimizer switch
        {
            OptimizerKind.Sgd => optim.SGD(parameters, config.LearningRate, config.Momentum,
                weight_decay: config.WeightDecay, nesterov: config.Nesterov),
            OptimizerKind.Adam => optim.Adam(parameters, config.LearningRate, config.Beta1, config.Beta2,
                weight_decay: config.WeightDecay),
            OptimizerKind.Adamw => optim.AdamW(parameters, config.LearningRate, config.Beta1, config.Beta2,
                weight_decay: config.WeightDecay),
            OptimizerKind.Rmsprop => optim.RMSProp(parameters, config.LearningRate,
                weight_decay: config.WeightDecay, momentum: config.Momentum),
            _ => throw new ArgumentOutOfRangeException(nameof(config), config.Optimizer, "unknown optimizer"),
        };

    public static void SetLearningRate(OptimizerHelper optimizer, double learningRate)
    {
        foreach (var group in optimizer.ParamGroups)
        {
            group.LearningRate = learningRate;
        }
    }
}

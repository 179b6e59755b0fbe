namespace RnnLab.Tests.Support;

/// <summary>
/// Tests that compare two training runs step for step depend on libtorch's global random
/// generator (weight init, dropout masks). Other tests drawing from it on parallel threads would
/// change those draws, so these tests run alone.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalRngCollection
{
    public const string Name = "global torch RNG";
}

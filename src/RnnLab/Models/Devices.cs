namespace RnnLab.Models;

/// <summary>Resolves <c>--device cpu|cuda|auto</c>.</summary>
public static class Devices
{
    public static Device Resolve(string name)
    {
        UseEveryCore();
        return Parse(name);
    }

    /// <summary>
    /// libtorch's intra-op threads: one per core this process may use. .NET's processor count follows
    /// a container's CPU limit, which OpenMP's default does not; OMP_NUM_THREADS (which a sweep sets
    /// for each member) wins over both.
    /// </summary>
    public static void UseEveryCore()
    {
        if (!threadsSet && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OMP_NUM_THREADS")))
        {
            torch.set_num_threads(Environment.ProcessorCount);
        }
        threadsSet = true;
    }

    private static bool threadsSet;

    private static Device Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "cpu" => torch.CPU,
        "cuda" when torch.cuda.is_available() => torch.CUDA,
        "cuda" => throw new RnnLabException(
            "--device cuda: no CUDA device is available to this build (it uses the TorchSharp-cpu package); " +
            "use --device cpu, or see README.md 'GPUs' for the CUDA build"),
        "auto" => torch.cuda.is_available() ? torch.CUDA : torch.CPU,
        _ => throw new RnnLabException($"unknown --device '{name}'; valid values: cpu, cuda, auto"),
    };
}

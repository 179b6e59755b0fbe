namespace RnnLab.Models;

/// <summary>Resolves <c>--device cpu|cuda|auto</c>.</summary>
public static class Devices
{
    public static Device Resolve(string name) => name.Trim().ToLowerInvariant() switch
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

namespace RnnLab.Tests.Models;

public sealed class DeviceTests
{
    [Fact]
    public void Cpu_and_auto_resolve_without_a_gpu_and_unknown_names_list_the_choices()
    {
        Assert.Equal(DeviceType.CPU, Devices.Resolve(" CPU ").type);
        Assert.Equal(torch.cuda.is_available() ? DeviceType.CUDA : DeviceType.CPU, Devices.Resolve("auto").type);
        Assert.Equal("unknown --device 'tpu'; valid values: cpu, cuda, auto",
            Assert.Throws<RnnLabException>(() => Devices.Resolve("tpu")).Message);
    }

    [SkippableFact]
    public void Cuda_without_a_cuda_backend_stops_with_a_message_that_names_the_fix()
    {
        Skip.If(torch.cuda.is_available(), "this machine has a CUDA device");

        var error = Assert.Throws<RnnLabException>(() => Devices.Resolve("cuda"));

        Assert.Equal("--device cuda: no CUDA device is available to this build (it uses the TorchSharp-cpu " +
            "package); use --device cpu, or see README.md 'GPUs' for the CUDA build", error.Message);
    }
}

namespace RnnLab.Models;

public static class ModuleExtensions
{
    /// <summary>The device the module's parameters live on.</summary>
    public static Device Device(this nn.Module module) =>
        module.parameters().FirstOrDefault()?.device ?? torch.CPU;
}

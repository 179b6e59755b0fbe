namespace RnnLab.Tests.Support;

/// <summary>Where the repository, the shared data and the built command line are.</summary>
public static class Paths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>../shared/data beside the repository (or $RNNLAB_SHARED_DATA).</summary>
    public static string SharedData { get; } =
        Environment.GetEnvironmentVariable("RNNLAB_SHARED_DATA") is { Length: > 0 } explicitPath
            ? explicitPath
            : Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "data"));

    public static string TinyShakespeare => Path.Combine(SharedData, "tinyshakespeare", "input.txt");

    /// <summary>The names-by-language folder: one &lt;Language&gt;.txt per class.</summary>
    public static string Names => Path.Combine(SharedData, "names");

    /// <summary>The CLI built in the same configuration as these tests.</summary>
    public static string CliDll
    {
        get
        {
            // the test project references the CLI, so both are built in the same configuration
            var configuration = typeof(Paths).Assembly
                .GetCustomAttributes(typeof(System.Reflection.AssemblyConfigurationAttribute), false)
                .Cast<System.Reflection.AssemblyConfigurationAttribute>().Single().Configuration;
            return Path.Combine(RepoRoot, "src", "RnnLab.Cli", "bin", configuration, "net10.0", "RnnLab.Cli.dll");
        }
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RnnLab.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("cannot find the repository root (RnnLab.slnx) above the test binaries");
    }
}

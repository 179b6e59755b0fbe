namespace RnnLab.Tests.Cli;

public sealed class InteropCliTests
{
    [Fact]
    public void Export_import_and_sample_give_the_original_models_text_and_bad_uses_say_why()
    {
        using var dir = new TempDir();
        var data = dir.Write("text.txt", Corpora.ShakespeareSlice(6_000));
        var cli = (string[] args) => global::RnnLab.Tests.Support.Cli.Run(dir.Path, args);
        cli(["train", "--data", data, "--steps", "4", "--eval-every", "4", "--hidden", "16", "--batch-size", "8",
            "--out", "run"]).Exits(0);

        var export = cli(["export", "--checkpoint", "run", "--format", "safetensors", "--out", "exported"]);
        var import = cli(["import", "--from", "exported", "--out", "imported"]);
        var original = cli(["sample", "--checkpoint", "run", "--prime", "First", "--length", "40", "--seed", "5"]);
        var copy = cli(["sample", "--checkpoint", "imported", "--prime", "First", "--length", "40", "--seed", "5"]);
        var resume = cli(["train", "--resume", "imported", "--steps", "8"]);
        var again = cli(["export", "--checkpoint", "run", "--out", "exported"]);
        var format = cli(["export", "--checkpoint", "run", "--format", "onnx", "--out", "x"]);
        var missing = cli(["import", "--from", "nowhere", "--out", "y"]);
        var root = cli(["export", "--checkpoint", "run", "--out", "/"]);
        var spaced = cli(["import", "--from", "exported", "--out", "it's mine"]);

        export.Exits(0);
        Assert.Contains("exported/model.safetensors", export.Stdout);
        import.Exits(0);
        Assert.Contains("imported/best.ckpt", import.Stdout);
        original.Exits(0);
        copy.Exits(0);
        Assert.Equal(original.Stdout, copy.Stdout);
        resume.Exits(2);
        Assert.Equal("rnnlab: error: --resume imported/best.ckpt: the checkpoint has no optimizer state (it was " +
            "imported); continue from its weights with --init-from imported/best.ckpt --data FILE",
            resume.Stderr.Trim());
        again.Exits(2);
        Assert.StartsWith("rnnlab: error: --out exported already exists; pass a new folder for the export",
            again.Stderr);
        format.Exits(2);
        Assert.StartsWith("rnnlab: error: unknown --format 'onnx'; valid values: pytorch, safetensors", format.Stderr);
        missing.Exits(2);
        Assert.StartsWith("rnnlab: error: import folder not found: nowhere", missing.Stderr);
        Assert.False(Directory.Exists(dir.File("x")) || Directory.Exists(dir.File("y")));
        root.Exits(2);
        Assert.StartsWith("rnnlab: error: --out / already exists; pass a new folder for the export", root.Stderr);
        spaced.Exits(0);
        Assert.Contains("next: ./rnnlab sample --checkpoint 'it'\\''s mine' --length 200\n", spaced.Stdout);
    }
}

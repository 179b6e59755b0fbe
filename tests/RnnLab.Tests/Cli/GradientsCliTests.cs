namespace RnnLab.Tests.Cli;

public sealed class GradientsCliTests
{
    [Fact]
    public void Gradients_writes_a_row_per_model_loss_layer_and_step_and_refuses_bad_input()
    {
        using var dir = new TempDir();
        var cli = (string[] args) => global::RnnLab.Tests.Support.Cli.Run(dir.Path, args);

        var run = cli(["gradients", "--text", "hello, world", "--steps", "5", "--fresh", "rnn-tanh,gru", "--hidden",
            "8", "--layers", "2", "--out", "g"]);
        var shortText = cli(["gradients", "--text", "abc", "--steps", "5"]);
        var both = cli(["gradients", "--text", "abc", "--text-file", "x.txt"]);
        var nothing = cli(["gradients", "--text", "hello, world", "--steps", "5", "--fresh", "none"]);
        var badCell = cli(["gradients", "--text", "hello, world", "--fresh", "lstm,transformer"]);
        var taken = cli(["gradients", "--text", "hello, world", "--steps", "5", "--out", "g"]);

        run.Exits(0);
        Assert.Contains("fresh-rnn-tanh | last-step |", run.Stdout);
        var rows = File.ReadAllLines(dir.File("g/gradients.csv"));
        Assert.Equal("model,cell,loss,layer,t,grad_norm", rows[0]);
        Assert.Equal(1 + 2 * 2 * 2 * 5, rows.Length); // models x losses x layers x steps
        Assert.StartsWith("fresh,gru,all-steps,1,5,", rows[^1]);
        Assert.Equal(["gradient-flow.png", "gradients.csv", "heatmap-fresh-gru.png", "heatmap-fresh-rnn-tanh.png"],
            Directory.GetFiles(dir.File("g")).Select(Path.GetFileName).Order());
        shortText.Exits(2);
        Assert.StartsWith("rnnlab: error: the text has 3 characters; --steps 5 needs 6", shortText.Stderr);
        both.Exits(2);
        Assert.Contains("--text TEXT or --text-file FILE (one of them)", both.Stderr);
        nothing.Exits(2);
        Assert.StartsWith("rnnlab: error: nothing to measure: pass --checkpoint, or fresh cells with --fresh",
            nothing.Stderr);
        badCell.Exits(2);
        Assert.StartsWith("rnnlab: error: unknown cell in --fresh 'transformer'", badCell.Stderr);
        taken.Exits(2);
        Assert.StartsWith("rnnlab: error: --out g already exists", taken.Stderr);
    }
}

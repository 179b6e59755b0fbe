using System.Text.Json;

namespace RnnLab.Tests.Cli;

public sealed class ExposureCliTests
{
    [Fact]
    public void ProfessorForcingTrainsOnPtbCharWithItsValidationFileAndLogsItsDiagnostics()
    {
        using var dir = new TempDir();
        var folder = Path.Combine(Paths.SharedData, "ptb_char");

        // the small validation file trains, the test file validates: seconds, not minutes
        var result = global::RnnLab.Tests.Support.Cli.Run(dir.Path, "train",
            "--data", Path.Combine(folder, "ptb.char.valid.txt"),
            "--val-data", Path.Combine(folder, "ptb.char.test.txt"),
            "--format", "ptb-char", "--layers", "1", "--hidden", "16", "--embedding", "8", "--batch-size", "8",
            "--bptt", "16", "--steps", "4", "--eval-every", "4", "--log-every", "2", "--eval-batches", "2",
            "--exposure", "professor", "--professor-rows", "4", "--discriminator-hidden", "8",
            "--diagnostic-length", "100", "--sample-length", "20", "--out", "run", "--no-cache");

        result.Exits(0);
        Assert.Contains("vocab 54 |", result.Stdout);
        Assert.Matches(@"step 2/4 \| .* \| d_steps 2 \| d_loss \d\.\d{4} \| d_acc \d\.\d{4} \| adv \d\.\d{4} \| " +
            @"g_gate \d\.\d{4} \|", result.Stdout);
        Assert.Matches(@"eval step 4 \| .* \| val_hidden_mmd -?\d\.\d{4} \| val_hidden_frechet \d+\.\d{4} \| " +
            @"repetition \d\.\d{4} \| novelty " +
            @"\d\.\d{4} \| val_d_acc \d\.\d{4} \| d_acc \d\.\d{4} \|", result.Stdout);
        var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "run", "config.json"))).RootElement;
        Assert.Equal("professor", config.GetProperty("exposure").GetProperty("exposure").GetString());
        Assert.Equal("ptb-char", config.GetProperty("data").GetProperty("format").GetString());
    }

    [Theory]
    [InlineData(new[] { "train", "--celll", "lstm" },
        "rnnlab: error: unknown option --celll; did you mean --cell? (see 'rnnlab train --help')\n")]
    [InlineData(new[] { "seq2seq", "train", "--atention", "dot" },
        "rnnlab: error: unknown option --atention; did you mean --attention? (see 'rnnlab seq2seq train --help')\n")]
    [InlineData(new[] { "seq2seq", "translate", "--greedy" },
        "rnnlab: error: --greedy is not an option of this command (another command takes it); see " +
        "'rnnlab seq2seq translate --help' for the options\n")]
    [InlineData(new[] { "train", "--zzzzzzzz" },
        "rnnlab: error: unknown option --zzzzzzzz; see 'rnnlab train --help' for the options\n")]
    [InlineData(new[] { "train", "--professor-every", "99999999999" },
        "rnnlab: error: --professor-every 99999999999 is far out of range; see --help for the values it takes\n")]
    public void UnknownAndOversizedOptionsAreNamedWithTheFix(string[] args, string expected)
    {
        using var dir = new TempDir();

        var result = global::RnnLab.Tests.Support.Cli.Run(dir.Path, args);

        result.Exits(2);
        Assert.Equal(expected, result.Stderr);
    }

    [Theory]
    [InlineData(new[] { "--exposure", "scheduled", "--mode", "documents" },
        "rnnlab: error: --exposure scheduled needs --mode stream and --loss-on all")]
    [InlineData(new[] { "--exposure", "professors" },
        "rnnlab: error: unknown --exposure 'professors'; valid values: teacher, scheduled, professor")]
    [InlineData(new[] { "--exposure", "professor", "--generator-gate", "0.9", "--discriminator-gate", "0.8" },
        "rnnlab: error: --generator-gate 0.9 is above --discriminator-gate 0.8; the generator's gate must not " +
        "be above the discriminator's")]
    [InlineData(new[] { "--professor-every", "3", "--generator-gate", "0.9" },
        "rnnlab: error: --professor-every, --generator-gate only act with --exposure professor (this run is " +
        "teacher); add --exposure professor, or leave them out")]
    [InlineData(new[] { "--exposure", "professor", "--exposure-k", "5" },
        "rnnlab: error: --exposure-k only acts with --exposure scheduled (this run is professor); add --exposure " +
        "scheduled, or leave it out")]
    [InlineData(new[] { "--val-data", "missing.txt" }, "rnnlab: error: data file not found: missing.txt; pass " +
        "--val-data with an existing UTF-8 text file")]
    [InlineData(new[] { "--exposure", "professor", "--gate-decay", "1" },
        "rnnlab: error: --gate-decay 1 would hold the running accuracy at 0.5 for ever; pass a decay below 1")]
    public void BadExposureFlagsAreRefusedWithTheFix(string[] flags, string expected)
    {
        using var dir = new TempDir();
        var data = dir.Write("d.txt", Corpora.ShakespeareSlice(2_000));

        var result = global::RnnLab.Tests.Support.Cli.Run(dir.Path,
            ["train", "--data", data, "--steps", "2", .. flags]);

        result.Exits(2);
        Assert.StartsWith(expected, result.Stderr);
    }
}

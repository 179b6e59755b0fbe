using RnnLab;
using RnnLab.Cli.Commands;
using RnnLab.Cli.Commands.Classify;
using RnnLab.Cli.Commands.Seq2Seq;

// exit codes: 0 success, 1 failure, 2 bad input (message on stderr), 130 interrupted
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
using var cancel = new CancellationTokenSource();
var firstStop = System.Diagnostics.Stopwatch.StartNew();

// the first Ctrl-C or SIGTERM (kill, a scheduler, a sweep stopping its members) asks training to stop
// and save; a second one ends the process. Signals within a second of the first are that same request
// delivered twice: a sweep member gets the terminal's Ctrl-C and its sweep's SIGTERM together.
bool KeepRunning()
{
    if (!cancel.IsCancellationRequested)
    {
        firstStop.Restart();
        cancel.Cancel();
        return true;
    }
    return firstStop.Elapsed < TimeSpan.FromSeconds(1);
}
Console.CancelKeyPress += (_, e) => e.Cancel = KeepRunning();
using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(
    System.Runtime.InteropServices.PosixSignal.SIGTERM, context => context.Cancel = KeepRunning());

var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("rnnlab");
    config.SetApplicationCulture(CultureInfo.InvariantCulture);
    config.UseStrictParsing();
    config.SetExceptionHandler((exception, _) => Errors.Report(exception, args));
    config.AddCommand<TrainCommand>("train")
        .WithDescription("Train a character-level language model.")
        .WithExample("train", "--data", "input.txt", "--time-limit", "10m")
        .WithExample("train", "--data", "tweets.txt", "--mode", "documents", "--cell", "gru", "--steps", "5000")
        .WithExample("train", "--resume", "runs/20261204-120000-lstm-stream", "--steps", "20000");
    config.AddCommand<SampleCommand>("sample")
        .WithDescription("Generate text from a trained model.")
        .WithExample("sample", "--checkpoint", "runs/my-run", "--prime", "ROMEO:", "--length", "300")
        .WithExample("sample", "--checkpoint", "runs/my-run", "--num-samples", "5", "--temperature", "0.7")
        .WithExample("sample", "--checkpoint", "runs/names-gen", "--class", "Russian", "--prime", "Ro",
            "--num-samples", "5", "--judge", "runs/names-classifier");
    config.AddCommand<EvalCommand>("eval")
        .WithDescription("Loss, bits per character and perplexity of a model on a text file.")
        .WithExample("eval", "--checkpoint", "runs/my-run", "--data", "held-out.txt");
    config.AddCommand<ScoreCommand>("score")
        .WithDescription("Each character's probability and surprisal under a model.")
        .WithExample("score", "--checkpoint", "runs/my-run", "--text", "\"To be, or not to be\"")
        .WithExample("score", "--checkpoint", "runs/my-run", "--text", "hello", "--json");
    config.AddCommand<InfoCommand>("info")
        .WithDescription("What a checkpoint holds: config, vocabulary, progress.")
        .WithExample("info", "--checkpoint", "runs/my-run/best.ckpt");
    config.AddCommand<RunsCommand>("runs")
        .WithDescription("List, filter and sort the runs under a runs folder (indexed in <root>/registry.db).")
        .WithExample("runs")
        .WithExample("runs", "--where", "cell=lstm", "--where", "status=finished", "--sort", "val_bpc")
        .WithExample("runs", "--root", "runs", "--where", "sweep=diary", "--sort", "final_val_bpc", "--limit", "5")
        .WithExample("runs", "--reindex", "--json");
    config.AddCommand<GradientsCommand>("gradients")
        .WithDescription("How the loss's gradient reaches each hidden state over time: CSV and plots.")
        .WithExample("gradients", "--text-file", "input.txt", "--steps", "200")
        .WithExample("gradients", "--checkpoint", "runs/my-run", "--text", "\"To be, or not to be\"", "--steps", "18");
    config.AddCommand<SweepCommand>("sweep")
        .WithDescription("Train every member of a sweep file (grid, variants, seeds); run again to continue.")
        .WithExample("sweep", "--config", "docs/sweeps/diary.json")
        .WithExample("sweep", "--config", "sweep.json", "--parallel", "2", "--root", "experiments");
    config.AddCommand<GraphCommand>("graph")
        .WithDescription("A picture of one training step's computation, unrolled over time (DOT, SVG, PNG).")
        .WithExample("graph", "--cell", "lstm", "--layers", "2", "--steps", "2", "--out", "lstm-step.svg")
        .WithExample("graph", "--checkpoint", "runs/my-run", "--steps", "3", "--out", "my-run-step.png");
    config.AddCommand<ActivationsCommand>("activations")
        .WithDescription("An HTML page of a text coloured by a hidden unit and by surprisal, with correlated units.")
        .WithExample("activations", "--checkpoint", "runs/my-run", "--text-file", "input.txt", "--out", "act.html")
        .WithExample("activations", "--checkpoint", "runs/my-run", "--text", "\"To be, or not to be\"", "--layer", "0",
            "--unit", "17")
        .WithExample("activations", "--checkpoint", "runs/names-gen", "--class", "Russian", "--text", "Dostoevsky");
    config.AddCommand<CompareCommand>("compare")
        .WithDescription("Compare runs on one HTML page: curves, what differs, figures over seeds, samples.")
        .WithExample("compare", "runs/lstm-s1", "runs/lstm-s2", "runs/gru-s1", "runs/gru-s2", "--out", "report.html")
        .WithExample("compare", "--sweep", "diary", "--out", "diary.html", "--png", "diary-plots");
    config.AddCommand<ExportCommand>("export")
        .WithDescription("Write a checkpoint's weights for PyTorch (model.pt or model.safetensors), with its config.")
        .WithExample("export", "--checkpoint", "runs/my-run", "--out", "my-run-pytorch")
        .WithExample("export", "--checkpoint", "runs/my-run", "--format", "safetensors", "--out", "my-run-st");
    config.AddCommand<ImportCommand>("import")
        .WithDescription("Make a runnable checkpoint from an export folder (rnnlab's or a PyTorch script's).")
        .WithExample("import", "--from", "my-run-pytorch", "--out", "runs/imported");
    config.AddBranch("classify", classify =>
    {
        classify.SetDescription("Many-to-one: classify items (e.g. names by language) by their characters.");
        classify.AddCommand<ClassifyTrainCommand>("train")
            .WithDescription("Train a sequence classifier; reports test accuracy, macro-F1 and a confusion matrix.")
            .WithExample("classify", "train", "--data", "names/", "--time-limit", "5m")
            .WithExample("classify", "train", "--data", "items.csv", "--label-column", "label", "--text-column",
                "text", "--epochs", "20");
        classify.AddCommand<ClassifyPredictCommand>("predict")
            .WithDescription("The most likely classes of each item, with probabilities.")
            .WithExample("classify", "predict", "--checkpoint", "runs/my-classifier", "--top", "3", "Dostoevsky",
                "Nguyen");
        classify.AddCommand<ClassifyEvalCommand>("eval")
            .WithDescription("Accuracy, macro-F1, per-class figures and the confusion matrix on other data.")
            .WithExample("classify", "eval", "--checkpoint", "runs/my-classifier", "--data", "more-names/");
    });
    config.AddBranch("seq2seq", seq2seq =>
    {
        seq2seq.SetDescription("Sequence to sequence: character encoder-decoder with Luong attention and beam search.");
        seq2seq.AddCommand<Seq2SeqTrainCommand>("train")
            .WithDescription("Train on source/target pairs; reports BLEU, chrF, CER and exact match, greedy and beam.")
            .WithExample("seq2seq", "train", "--data", "eng-fra.txt", "--swap", "--tutorial-filter", "--attention",
                "general", "--time-limit", "5m")
            .WithExample("seq2seq", "train", "--data", "cmudict.dict", "--attention", "dot", "--max-chars", "12",
                "--time-limit", "2m");
        seq2seq.AddCommand<Seq2SeqTranslateCommand>("translate")
            .WithDescription("Translate texts (arguments, or one per line on standard input).")
            .WithExample("seq2seq", "translate", "--checkpoint", "runs/fr-en", "\"je suis content .\"")
            .WithExample("seq2seq", "translate", "--checkpoint", "runs/fr-en", "--beam", "1", "--json");
        seq2seq.AddCommand<Seq2SeqAttentionCommand>("attention")
            .WithDescription("Draw a translation's attention weights as a PNG heat map.")
            .WithExample("seq2seq", "attention", "--checkpoint", "runs/fr-en", "\"je suis content .\"", "--out",
                "map.png");
    });
    config.AddCommand<DemoCommand>("demo")
        .WithDescription("Train on Debian's fortunes for about three minutes, then show samples.")
        .WithExample("demo")
        .WithExample("demo", "--time-limit", "60s");
});
return app.Run(args, cancel.Token);

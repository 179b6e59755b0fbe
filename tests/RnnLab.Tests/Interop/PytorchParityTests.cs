using System.Text.Json;
using RnnLab.Checkpoints;
using RnnLab.Interop;

namespace RnnLab.Tests.Interop;

/// <summary>
/// The exported weights mean the same network in PyTorch: Debian's python3-torch (installed on
/// first use) computes the same logits as RnnLab for the same ids, in both directions.
/// </summary>
public sealed class PytorchParityTests
{
    private static readonly long[,] Ids = { { 5, 20, 31, 44, 1, 9, 60 }, { 3, 3, 17, 52, 8, 2, 40 } };

    public static readonly (string Name, ModelConfig Model, string[]? Classes)[] Cases =
    [
        ("lstm", new ModelConfig { Cell = CellKind.Lstm, Layers = 2, Hidden = 12, Embedding = 6 }, null),
        ("gru-one-hot", new ModelConfig { Cell = CellKind.Gru, Layers = 1, Hidden = 10, Embedding = 0 }, null),
        ("rnn-tanh", new ModelConfig { Cell = CellKind.RnnTanh, Layers = 3, Hidden = 8, Embedding = 5 }, null),
        ("rnn-relu", new ModelConfig { Cell = CellKind.RnnRelu, Layers = 1, Hidden = 9, Embedding = 4 }, null),
        ("lstm-classes", new ModelConfig { Cell = CellKind.Lstm, Layers = 2, Hidden = 7, Embedding = 5,
            ClassEmbedding = 3 }, ["Greek", "Irish", "Polish"]),
    ];

    [SkippableFact]
    public void PyTorch_computes_the_same_logits_from_every_export()
    {
        Skip.If(PythonTorch.WhyUnavailable is not null, PythonTorch.WhyUnavailable);
        using var temp = new TempDir();
        var expected = new Dictionary<string, float[]>();
        foreach (var (name, model, classes) in Cases)
        {
            var checkpoint = Checkpoint.Load(TestCheckpoints.Write(temp.File($"{name}.ckpt"), model, classes));
            foreach (var format in Enum.GetValues<ExportFormat>())
            {
                Exporter.Export(checkpoint, format, temp.File($"{name}-{format}"));
                expected[$"{name}-{format}"] = Logits(checkpoint, classes is null ? null : [2, 0]);
            }
        }

        var script = $$"""
            import json, torch, rnnlab_model
            out = {}
            for name in {{JsonSerializer.Serialize(expected.Keys)}}:
                model, tokens = rnnlab_model.load("{{temp.Path}}/" + name)
                classes = torch.tensor([2, 0]) if model.condition is not None else None
                with torch.no_grad():
                    logits, _ = model(torch.tensor({{JsonSerializer.Serialize(ToJagged(Ids))}}), None, classes)
                out[name] = logits.flatten().tolist()
            print(json.dumps(out))
            """;
        var actual = JsonSerializer.Deserialize<Dictionary<string, float[]>>(
            PythonTorch.Run(script, temp.File($"lstm-{ExportFormat.Pytorch}")))!;

        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, logits) in expected)
        {
            Assert.Equal(logits.Length, actual[name].Length);
            var worst = logits.Zip(actual[name], (a, b) => Math.Abs(a - b)).Max();
            Assert.True(worst < 1e-5, $"{name}: logits differ by up to {worst}");
        }
    }

    [SkippableFact]
    public void A_model_saved_by_a_PyTorch_script_imports_with_the_same_logits()
    {
        Skip.If(PythonTorch.WhyUnavailable is not null, PythonTorch.WhyUnavailable);
        using var temp = new TempDir();
        File.WriteAllText(temp.File(ExportFiles.PythonModule), Exporter.PythonModule());
        var tokens = JsonSerializer.Serialize(ExportVocabulary.Of(TestCheckpoints.Vocabulary).Tokens);
        var script = $$"""
            import json, torch, rnnlab_model
            torch.manual_seed(3)
            tokens = {{tokens}}
            out = {}
            for name, cell, layers in [("lstm", "lstm", 2), ("gru", "gru", 1), ("rnn", "rnn-tanh", 2)]:
                model = rnnlab_model.CharRnn(len(tokens), cell, layers, hidden=11, embedding=6).eval()
                rnnlab_model.save(model, tokens, "{{temp.Path}}/" + name)
                with torch.no_grad():
                    logits, _ = model(torch.tensor({{JsonSerializer.Serialize(ToJagged(Ids))}}))
                out[name] = logits.flatten().tolist()
                # the round trip a user makes: load what was saved, save it again
                again, again_tokens = rnnlab_model.load("{{temp.Path}}/" + name)
                rnnlab_model.save(again, again_tokens, "{{temp.Path}}/" + name + "-again")
                out[name + "-again"] = out[name]
            print(json.dumps(out))
            """;
        var fromPython = JsonSerializer.Deserialize<Dictionary<string, float[]>>(PythonTorch.Run(script, temp.Path))!;

        foreach (var (name, logits) in fromPython)
        {
            var best = Importer.Import(temp.File(name), temp.File($"run-{name}")).Checkpoint;
            var ours = Logits(Checkpoint.Load(best), null);
            var worst = ours.Zip(logits, (a, b) => Math.Abs(a - b)).Max();
            Assert.True(worst < 1e-5, $"{name}: logits differ by up to {worst}");
        }
        Assert.Equal(6, fromPython.Count);
    }

    internal static float[] Logits(Checkpoint checkpoint, long[]? classes)
    {
        using var model = checkpoint.CreateModel(torch.CPU);
        model.eval();
        using var noGrad = torch.no_grad();
        using var ids = torch.tensor(Ids);
        using var labels = classes is null ? null : torch.tensor(classes);
        var (logits, _) = model.forward(ids, null, labels);
        return logits.flatten().data<float>().ToArray();
    }

    private static long[][] ToJagged(long[,] ids) =>
        Enumerable.Range(0, ids.GetLength(0))
            .Select(r => Enumerable.Range(0, ids.GetLength(1)).Select(c => ids[r, c]).ToArray()).ToArray();
}

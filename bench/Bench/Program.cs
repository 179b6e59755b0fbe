using System.Diagnostics;
using System.Text.Json.Nodes;
using Bench;
using TorchSharp;

// One measurement per process, so peak memory and the matmul ceiling belong to that measurement
// alone. bench/benchmarks.sh runs `suite`, which starts the others and writes docs/benchmarks.md.
//
//   Bench matmul
//   Bench bare TEXT HIDDEN BATCH WARMUP STEPS
//   Bench profile TEXT HIDDEN BATCH WARMUP STEPS  (the bare loop, forward, backward and update timed apart)
//   Bench train WARMUP RUN_FOLDER -- <rnnlab train flags>
//   Bench sample BATCH SHORT LONG -- <rnnlab sample flags>
//   Bench padding TEXT BATCH BPTT               (the padded share of a documents-mode epoch)
//   Bench run -- <rnnlab flags>                 (wall time and peak memory of any rnnlab command)
//   Bench suite REPORT [quick]
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: Bench matmul | bare | train | sample | run | suite (see Program.cs)");
    return 2;
}
var rest = args.SkipWhile(a => a != "--").Skip(1).ToArray();
var own = args.TakeWhile(a => a != "--").ToArray();
int Count(int index) => int.Parse(own[index], NumberStyles.None, CultureInfo.InvariantCulture);

switch (own[0])
{
    case "suite":
        return Suite.Run(own[1], own.Length > 2 && own[2] == "quick");
    case "padding":
        Measure.Report(PaddingShare.Measure(own[1], Count(2), Count(3)));
        return 0;
    case "matmul":
        Measure.Report(new JsonObject { ["kind"] = "matmul", ["gflops"] = Math.Round(Measure.MatmulGflops(), 2) });
        return 0;
    case "run":
    {
        var clock = Stopwatch.StartNew();
        var code = InProcess.Rnnlab(rest, Console.Error);
        Measure.Report(new JsonObject
        {
            ["kind"] = "run", ["code"] = code, ["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 3),
        });
        return code;
    }
}

// the training and sampling measurements carry this process's own ceiling beside them
var matmul = Measure.MatmulGflops();
JsonObject result = own[0] switch
{
    "bare" => BareLoop.Run(own[1], Count(2), Count(3), Count(4), Count(5)),
    "profile" => BareLoop.Run(own[1], Count(2), Count(3), Count(4), Count(5), phases: true),
    "train" => InProcess.Train(rest, own[2], Count(1)),
    "sample" => InProcess.Sample(rest, Count(1), Count(2), Count(3)),
    _ => throw new ArgumentException($"unknown measurement '{own[0]}'"),
};
result["kind"] = own[0];
result["matmul_gflops"] = Math.Round(matmul, 2);
Measure.Report(result);
return 0;

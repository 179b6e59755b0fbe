using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

// B batch (32 rows), T time (64-step windows), V vocabulary, E embedding (64), H hidden (256),
// L layers (2). Batch-first, as in rnnlab.
//
// The bare floor of rnnlab's training speed: the reference config in one loop with nothing around
// it (no config, logging, evaluation, checkpoints or recovery). Prints one JSON line with the
// speed over the timed steps.

const int BatchSize = 32;
const int Bptt = 64;
const int EmbeddingSize = 64;
const int HiddenSize = 256;
const int NumLayers = 2;
const double LearningRate = 0.002;
const double Clip = 5.0;

const string Usage = "usage: BareLoop [warmup-steps (50)] [timed-steps (300)] [text file]";
var warmupArg = args.Length > 0 ? ParseCount(args[0]) : 50;
var timedArg = args.Length > 1 ? ParseCount(args[1]) : 300;
var path = args.Length > 2 ? args[2] : "../shared/data/tinyshakespeare/input.txt";
if (warmupArg is not { } warmupSteps || timedArg is not { } timedSteps || timedSteps == 0)
{
    var given = string.Join(' ', args.Take(2));
    Console.Error.WriteLine($"BareLoop: step counts must be whole numbers, got '{given}'; {Usage}");
    return 2;
}
if (!File.Exists(path))
{
    Console.Error.WriteLine($"BareLoop: text file not found: {path}; {Usage}");
    return 2;
}

// rnnlab leaves libtorch's thread count alone; record its default before setting ours
var defaultThreads = torch.get_num_threads();
torch.set_num_threads(Environment.ProcessorCount);
torch.manual_seed(1337);

// vocabulary: the distinct characters; rnnlab's adds 4 special ids (<pad>, <bos>, <eos>, <unk>),
// about 0.1% more work per step in the decoder, too little to matter here
var text = File.ReadAllText(path);
var itos = text.Distinct().Order().ToArray();
var stoi = itos.Select((ch, i) => (ch, i)).ToDictionary(p => p.ch, p => (long)p.i);
var vocabularySize = itos.Length;

// stream layout, as rnnlab's StreamWindows: the text cut into B contiguous rows, walked left to
// right in windows of T steps, targets one step ahead
var columns = text.Length / BatchSize;
var ids = text.Take(columns * BatchSize).Select(ch => stoi[ch]).ToArray();
using var data = torch.tensor(ids, [BatchSize, columns]); // (B, N)
var windowsPerEpoch = (columns - 1) / Bptt;

using var embedding = nn.Embedding(vocabularySize, EmbeddingSize);
using var rnn = nn.LSTM(EmbeddingSize, HiddenSize, NumLayers, batchFirst: true);
using var decoder = nn.Linear(HiddenSize, vocabularySize);
var parameters = embedding.parameters().Concat(rnn.parameters()).Concat(decoder.parameters())
    .ToArray();
using var optimizer = torch.optim.Adam(parameters, lr: LearningRate);

(Tensor H, Tensor C)? hidden = null;
var clock = new Stopwatch();
for (var step = 0; step < warmupSteps + timedSteps; step++)
{
    // the clock starts after warm-up: JIT, allocator and oneDNN caches are settled by then
    if (step == warmupSteps)
    {
        clock.Start();
    }
    using var scope = torch.NewDisposeScope();

    // a new pass over the text starts from a zero state
    var window = step % windowsPerEpoch;
    if (window == 0)
    {
        DisposeHidden(hidden);
        hidden = null;
    }
    var input = data.narrow(1, (long)window * Bptt, Bptt); // (B, T)
    var targets = data.narrow(1, (long)window * Bptt + 1, Bptt); // (B, T)

    // forward and loss over every time step
    var x = embedding.forward(input); // (B, T, E)
    var (output, h, c) = rnn.forward(x, hidden); // (B, T, H), (L, B, H), (L, B, H)
    var logits = decoder.forward(output); // (B, T, V)
    var loss = nn.functional.cross_entropy(logits.reshape(-1, vocabularySize), targets.reshape(-1));

    // backward, clip (global norm), step
    optimizer.zero_grad();
    loss.backward();
    nn.utils.clip_grad_norm_(parameters, Clip);
    optimizer.step();

    // carry the state into the next window, cut from this window's graph
    var carried = (h.detach().MoveToOuterDisposeScope(), c.detach().MoveToOuterDisposeScope());
    DisposeHidden(hidden);
    hidden = carried;
}
clock.Stop();
DisposeHidden(hidden);

var seconds = clock.Elapsed.TotalSeconds;
Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
{
    ["kind"] = "bare",
    ["warmup_steps"] = warmupSteps,
    ["steps"] = timedSteps,
    ["seconds"] = Math.Round(seconds, 3),
    ["ms_per_step"] = Math.Round(1000 * seconds / timedSteps, 2),
    ["char_per_s"] = Math.Round((double)timedSteps * BatchSize * Bptt / seconds, 1),
    ["threads"] = torch.get_num_threads(),
    ["default_threads"] = defaultThreads,
    ["vocab"] = vocabularySize,
}));
return 0;

// a whole number >= 0 (digits only), else null
static int? ParseCount(string value) => int.TryParse(value, NumberStyles.None,
    CultureInfo.InvariantCulture, out var count) ? count : null;

static void DisposeHidden((Tensor H, Tensor C)? state)
{
    state?.H.Dispose();
    state?.C.Dispose();
}

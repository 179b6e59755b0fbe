using System.Diagnostics;
using System.Text.Json.Nodes;
using TorchSharp;
using static TorchSharp.torch;

namespace Bench;

// B batch, T time (64-step windows), V vocabulary, E embedding (64), H hidden, L layers (2).
// Batch-first, as in rnnlab.

/// <summary>
/// The floor of rnnlab's training speed: the same model, data layout and optimizer in one loop with
/// nothing around it (no config, logging, evaluation, checkpoints or recovery).
/// </summary>
internal static class BareLoop
{
    private const int Bptt = 64;
    private const int EmbeddingSize = 64;
    private const int NumLayers = 2;
    private const double LearningRate = 0.002;
    private const double Clip = 5.0;

    /// <param name="phases">Also time forward, backward and the update apart (each a synchronous CPU call).</param>
    public static JsonObject Run(string path, int hidden, int batchSize, int warmupSteps, int timedSteps,
        bool phases = false)
    {
        torch.manual_seed(1337);

        // vocabulary: the distinct characters (rnnlab adds 4 special ids: its decoder is a little wider)
        var text = File.ReadAllText(path);
        var itos = text.Distinct().Order().ToArray();
        var stoi = itos.Select((ch, i) => (ch, i)).ToDictionary(p => p.ch, p => (long)p.i);
        var vocabularySize = itos.Length;

        // stream layout, as rnnlab's StreamWindows: the text cut into B contiguous rows, walked left
        // to right in windows of T steps, targets one step ahead
        var columns = text.Length / batchSize;
        var ids = text.Take(columns * batchSize).Select(ch => stoi[ch]).ToArray();
        using var data = torch.tensor(ids, [batchSize, columns]); // (B, N)
        var windowsPerEpoch = (columns - 1) / Bptt;

        using var embedding = nn.Embedding(vocabularySize, EmbeddingSize);
        using var rnn = nn.LSTM(EmbeddingSize, hidden, NumLayers, batchFirst: true);
        using var decoder = nn.Linear(hidden, vocabularySize);
        var parameters = embedding.parameters().Concat(rnn.parameters()).Concat(decoder.parameters()).ToArray();
        using var optimizer = torch.optim.Adam(parameters, lr: LearningRate);

        (Tensor H, Tensor C)? state = null;
        var clock = new Stopwatch();
        Tensor? lastLoss = null;
        var step = 0;
        var forwardClock = new Stopwatch();
        var backwardClock = new Stopwatch();
        var updateClock = new Stopwatch();
        void Phase(Stopwatch? stop, Stopwatch? start)
        {
            if (phases && step >= warmupSteps)
            {
                stop?.Stop();
                start?.Start();
            }
        }
        for (; step < warmupSteps + timedSteps; step++)
        {
            // the clock starts after warm-up: JIT, allocator and oneDNN caches are settled by then
            if (step == warmupSteps)
            {
                clock.Start();
            }
            using var scope = torch.NewDisposeScope();
            var window = step % windowsPerEpoch;
            if (window == 0)
            {
                Dispose(state);
                state = null;
            }
            var input = data.narrow(1, (long)window * Bptt, Bptt); // (B, T)
            var targets = data.narrow(1, (long)window * Bptt + 1, Bptt); // (B, T)
            Phase(null, forwardClock);
            var (output, h, c) = rnn.forward(embedding.forward(input), state); // (B, T, H), (L, B, H) x2
            var logits = decoder.forward(output); // (B, T, V)
            var loss = nn.functional.cross_entropy(logits.reshape(-1, vocabularySize), targets.reshape(-1));
            Phase(forwardClock, backwardClock);
            optimizer.zero_grad();
            loss.backward();
            Phase(backwardClock, updateClock);
            nn.utils.clip_grad_norm_(parameters, Clip);
            optimizer.step();
            Phase(updateClock, null);
            var carried = (h.detach().MoveToOuterDisposeScope(), c.detach().MoveToOuterDisposeScope());
            Dispose(state);
            state = carried;
            lastLoss?.Dispose();
            lastLoss = loss.detach().MoveToOuterDisposeScope();
        }
        // the last step's work is finished before the clock stops
        _ = lastLoss!.item<float>();
        clock.Stop();
        Dispose(state);
        var seconds = clock.Elapsed.TotalSeconds;
        var result = new JsonObject
        {
            ["steps"] = timedSteps,
            ["seconds"] = Math.Round(seconds, 3),
            ["char_per_s"] = Math.Round((double)timedSteps * batchSize * Bptt / seconds, 1),
            ["vocab"] = vocabularySize,
        };
        if (phases)
        {
            result["forward_ms"] = Math.Round(forwardClock.Elapsed.TotalMilliseconds / timedSteps, 2);
            result["backward_ms"] = Math.Round(backwardClock.Elapsed.TotalMilliseconds / timedSteps, 2);
            result["update_ms"] = Math.Round(updateClock.Elapsed.TotalMilliseconds / timedSteps, 2);
        }
        return result;
    }

    private static void Dispose((Tensor H, Tensor C)? state)
    {
        state?.H.Dispose();
        state?.C.Dispose();
    }
}

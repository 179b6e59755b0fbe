using RnnLab.Configuration;
using RnnLab.Data;
using RnnLab.Models;

namespace RnnLab.Sampling;

// K live hypotheses, V vocabulary, L layers, H hidden.

public sealed partial class Sampler
{
    /// <summary>
    /// Beam search over continuations of the prime: every live hypothesis is extended by every
    /// character, and the best <c>Beam</c> extensions live on. A documents-mode model can end a
    /// document (&lt;eos&gt;); ended ones are set aside until <c>Beam</c> have ended, and the winner has the
    /// highest log p / length^<c>LengthPenalty</c>. In stream mode every hypothesis runs the full length,
    /// so the most likely one wins. Width 1 takes the most likely character at every step: greedy.
    /// </summary>
    private string Beam(SampleOptions options, long[] prime, Action<int, string>? onText, CancellationToken cancel)
    {
        var width = options.Beam;
        var wasTraining = model.training;
        model.eval();
        using var inference = torch.inference_mode();
        using var scope = torch.NewDisposeScope();
        var device = model.Device();
        var banned = torch.tensor(Banned()).to(device);
        using var threads = IntraOpThreads.ForSteps(width, device);
        using var stepper = model.Config.Cell == CellKind.Lstm ? new LstmStepper(model) : null;
        Tensor? ClassRows(int rows) => options.ClassIndex is { } label
            ? torch.full(rows, label, dtype: ScalarType.Int64, device: device)
            : null;
        var (logits, state) = Forward(torch.tensor(prime).unsqueeze(0), null, null, ClassRows(1)); // (1, V)
        List<(List<int> Ids, double Score)> live = [([], 0)];
        var ended = new List<(List<int> Ids, double Score)>();
        for (var step = 0; step < options.Length && live.Count > 0 && ended.Count < width; step++)
        {
            if (cancel.IsCancellationRequested)
            {
                break;
            }
            var totals = logits.masked_fill(banned, double.NegativeInfinity).log_softmax(1).to(ScalarType.Float64)
                .add(torch.tensor(live.Select(h => h.Score).ToArray(), device: device).unsqueeze(1))
                .view(-1); // (K*V)
            var k = (int)Math.Min(2L * width, totals.shape[0]);
            var (top, index) = totals.topk(k);
            var scores = top.cpu().data<double>().ToArray();
            var picks = index.cpu().data<long>().ToArray();
            var survivors = new List<(List<int> Ids, double Score)>();
            var parents = new List<long>();
            for (var n = 0; n < k && survivors.Count < width && double.IsFinite(scores[n]); n++)
            {
                var (parent, id) = ((int)(picks[n] / vocabulary.Count), (int)(picks[n] % vocabulary.Count));
                if (id == Vocabulary.Eos)
                {
                    ended.Add((live[parent].Ids, scores[n]));
                    continue;
                }
                survivors.Add(([.. live[parent].Ids, id], scores[n]));
                parents.Add(parent);
            }
            if (survivors.Count == 0 || step + 1 == options.Length)
            {
                live = survivors;
                break;
            }
            var keep = torch.tensor(parents.ToArray(), device: device);
            var kept = new RecurrentState(state.H.index_select(1, keep), state.C?.index_select(1, keep));
            var ids = torch.tensor(survivors.Select(h => (long)h.Ids[^1]).ToArray(), device: device); // (K)
            (logits, state) = Forward(ids, kept, stepper, ClassRows(survivors.Count));
            live = survivors;
        }
        model.train(wasTraining);

        // an ended document's length counts its <eos>
        var best = ended.Select(h => (h.Ids, Normalised: h.Score / Math.Pow(h.Ids.Count + 1, options.LengthPenalty)))
            .Concat(live.Select(h => (h.Ids, Normalised: h.Score / Math.Pow(Math.Max(1, h.Ids.Count),
                options.LengthPenalty))))
            .MaxBy(h => h.Normalised).Ids;
        var text = string.Concat(best.Select(vocabulary.Decode));
        onText?.Invoke(0, options.Prime);
        onText?.Invoke(0, text);
        return options.Prime + text;
    }
}

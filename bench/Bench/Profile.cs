using System.Text.Json.Nodes;

namespace Bench;

/// <summary>Where a training step's time goes, in words, from the phase timings and the scaling table.</summary>
internal static class Profile
{
    public static string Sentence(IReadOnlyList<TrainRow> rows,
        IReadOnlyList<(Shape Shape, JsonObject Phases)> profiles)
    {
        string Phases((Shape Shape, JsonObject Phases) profile)
        {
            var forward = (double)profile.Phases["forward_ms"]!;
            var backward = (double)profile.Phases["backward_ms"]!;
            var update = (double)profile.Phases["update_ms"]!;
            var total = forward + backward + update;
            return $"at {profile.Shape} a step of the bare loop took {total:F1} ms: forward " +
                $"{100 * forward / total:F0}%, backward {100 * backward / total:F0}%, " +
                $"clip and Adam {100 * update / total:F0}%";
        }
        double Share(TrainRow row) => row.Ours * row.Shape.TrainFlopsPerChar(row.Vocabulary) / 1e9 / row.Matmul;
        var big = rows.Where(r => r.Shape.Batch >= 32).ToArray();
        var small = rows.Where(r => r.Shape.Batch < 32).OrderBy(r => r.Shape.Batch).ToArray();
        var text = string.Join("; ", profiles.Select(Phases)) + ". ";
        text = char.ToUpperInvariant(text[0]) + text[1..];
        var largest = big.MaxBy(r => r.Shape.Hidden)!;
        text += "At batch 32 and above the matrix products reach " +
            $"{100 * big.Min(Share):F0}-{100 * big.Max(Share):F0}% of the machine's matmul rate, the bare loop as " +
            "much as rnnlab: the time is inside libtorch's fused LSTM (oneDNN's kernels, forward and backward), " +
            "and the gap to the matmul rate is theirs, not the trainer's. Larger products come closer (hidden " +
            $"{largest.Shape.Hidden}: {100 * Share(largest):F0}%); a GPU, more cores or a recurrent kernel tuned " +
            "for these shapes would move it, changes to the trainer would not. ";
        if (small.Length > 0)
        {
            text += $"At batch {small[0].Shape.Batch} the share falls to {100 * Share(small[0]):F0}%: each of the 64 " +
                "time steps is a product too small to fill the cores, and the fixed cost per libtorch call " +
                "dominates; " +
                "larger batches (or packing several documents per row) are what moves it.";
        }
        return text;
    }
}

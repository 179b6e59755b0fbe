namespace RnnLab.Sampling;

/// <summary>How to generate: the prime, how many characters, and how each is drawn.</summary>
public sealed record SampleOptions
{
    public string Prime { get; init; } = "";

    /// <summary>Characters to generate after the prime (documents stop earlier at &lt;eos&gt;).</summary>
    public int Length { get; init; } = 500;

    /// <summary>Logits are divided by this before sampling: below 1 is safer, above 1 wilder.</summary>
    public double Temperature { get; init; } = 1.0;

    /// <summary>Always take the most likely character.</summary>
    public bool Greedy { get; init; }

    /// <summary>Sample only among the k most likely characters (0: all).</summary>
    public int TopK { get; init; }

    /// <summary>Sample only among the most likely characters whose probabilities sum to p (1: all).</summary>
    public double TopP { get; init; } = 1.0;

    /// <summary>Samples generated together, as one batch.</summary>
    public int NumSamples { get; init; } = 1;

    public long? Seed { get; init; }

    /// <summary>The class to generate for, by label index (models conditioned on a class only).</summary>
    public int? ClassIndex { get; init; }

    /// <summary>
    /// Beam width (0: sample instead): the most likely continuation of the prime among those the beam
    /// keeps; temperature, top-k and top-p do not apply. Width 1 is <see cref="Greedy"/>.
    /// </summary>
    public int Beam { get; init; }

    /// <summary>Beam scores of ended documents are log p / length^alpha (0: raw log p).</summary>
    public double LengthPenalty { get; init; } = 1.0;

    /// <summary>Map prime characters the vocabulary lacks to &lt;unk&gt; instead of refusing them.</summary>
    public bool UnknownToUnk { get; init; }

    public void Validate()
    {
        if (!(Temperature > 0) || double.IsInfinity(Temperature))
        {
            throw new RnnLabException(
                $"--temperature must be > 0 (got {Temperature.ToString(CultureInfo.InvariantCulture)}); " +
                "use --greedy for the most likely text");
        }
        Configuration.Check.Range("length", Length, 0, 100_000_000);
        Configuration.Check.Range("top-k", TopK, 0, 1_000_000);
        Configuration.Check.Above("top-p", TopP, 0, 1);
        Configuration.Check.Range("num-samples", NumSamples, 1, 4096);
        Configuration.Check.Range("beam", Beam, 0, 256);
        Configuration.Check.Range("length-penalty", LengthPenalty, 0, 10);
        if (Beam > 0 && Greedy)
        {
            throw new RnnLabException("--beam and --greedy are two ways to pick the most likely text; pass one");
        }
        if (Beam > 0 && NumSamples > 1)
        {
            throw new RnnLabException("--beam gives the one most likely continuation; drop --num-samples");
        }
    }
}

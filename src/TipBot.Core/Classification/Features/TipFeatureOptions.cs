namespace TipBot.Core.Classification.Features;

/// <summary>
/// How a tip becomes features. Stored in the model file, so the service featurises exactly as the
/// model was trained; changing a default changes only the next model trained.
/// </summary>
public sealed record TipFeatureOptions
{
    /// <summary>Word n-grams over the canonical words (<see cref="Text.ChatText"/>), 1 up to this.</summary>
    public int WordNgramMax { get; init; } = 2;

    /// <summary>Character n-grams over the canonical text with word boundaries, from this length...</summary>
    public int CharNgramMin { get; init; } = 3;

    /// <summary>...up to this one.</summary>
    public int CharNgramMax { get; init; } = 6;

    /// <summary>Also the words as typed with their diacritics (only those that have some).</summary>
    public bool ExactWords { get; init; } = true;

    /// <summary>
    /// Weights of the word, character and exact-word blocks, each block L2-normalised first. The
    /// defaults are the ones cross-validation chose (docs/classifier.md): a lighter character
    /// block and the exact words both helped.
    /// </summary>
    public float WordWeight { get; init; } = 1f;
    public float CharWeight { get; init; } = 0.5f;
    public float ExactWeight { get; init; } = 0.5f;

    /// <summary>Counts as log(1 + count) instead of count.</summary>
    public bool SublinearCounts { get; init; } = true;

    /// <summary>A feature seen in fewer training tips than this is left out of the model.</summary>
    public int MinTipCount { get; init; } = 2;

    /// <summary>Only the start of a long text is read: a tip says what it is about early.</summary>
    public int MaxChars { get; init; } = 2000;
}

namespace TipBot.Server.Conversations;

public sealed class ConversationStoreOptions
{
    public const string Section = "Conversations";

    /// <summary>An idle conversation is forgotten after this (privacy: unfinished tips do not linger).</summary>
    public TimeSpan StateTtl { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long a delivery id is remembered. Meta retries for up to 36 hours.</summary>
    public TimeSpan DeliveryTtl { get; set; } = TimeSpan.FromHours(48);

    /// <summary>How long one worker may hold the right to finish a turn's effects.</summary>
    public TimeSpan EffectsLease { get; set; } = TimeSpan.FromSeconds(30);
}

namespace TipBot.Server.Conversations;

public sealed class ConversationStoreOptions
{
    public const string Section = "Conversations";

    /// <summary>An idle conversation is forgotten after this (privacy: unfinished tips do not linger).</summary>
    public TimeSpan StateTtl { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long a delivery id is remembered. Meta retries for up to 36 hours.</summary>
    public TimeSpan DeliveryTtl { get; set; } = TimeSpan.FromHours(48);

    /// <summary>
    /// Flood control: messages a conversation may send per minute before it gets a polite "please
    /// wait" and further messages in that minute are dropped. 0 switches it off.
    /// </summary>
    public int MessagesPerMinute { get; set; } = 30;

    /// <summary>How long one worker may hold the right to finish a turn's effects.</summary>
    public TimeSpan EffectsLease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long finishing a turn may keep starting sends; what is left then waits for the
    /// platform's redelivery or the sweep. A send already with the platform is never cut short.
    /// </summary>
    public TimeSpan EffectsDeadline { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Store encrypted state and effects as bytes rather than base64url text: a quarter smaller in
    /// Redis. Both forms are always read; versions before this one read only the text, so switch
    /// it on once no older node shares the Redis (docs/operations.md, section 7).
    /// </summary>
    public bool BinaryPayloads { get; set; }
}

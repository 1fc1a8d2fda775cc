namespace TipBot.Server.Webhooks;

public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>Largest accepted webhook body. Telegram updates are a few KB; Meta batches up to 1000 events.</summary>
    public int MaxBodyBytes { get; set; } = 1024 * 1024;
}

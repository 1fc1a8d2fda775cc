using System.ComponentModel.DataAnnotations;

namespace TipBot.Channels.Telegram;

public sealed class TelegramOptions : IValidatableObject
{
    public const string Section = "Telegram";

    /// <summary>Bot token; empty disables the channel.</summary>
    public string? BotToken { get; set; }

    /// <summary>Expected X-Telegram-Bot-Api-Secret-Token; required when the token is set.</summary>
    public string? WebhookSecret { get; set; }

    public string ApiBaseUrl { get; set; } = "https://api.telegram.org";

    public bool Enabled => !string.IsNullOrWhiteSpace(BotToken);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled) yield break;
        if (string.IsNullOrWhiteSpace(WebhookSecret))
            yield return new ValidationResult("Telegram:WebhookSecret is required when Telegram:BotToken is set.", [nameof(WebhookSecret)]);
        else if (WebhookSecret.Length > 256 || WebhookSecret.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '-')))
            yield return new ValidationResult("Telegram:WebhookSecret must be 1-256 characters of A-Z a-z 0-9 _ -.", [nameof(WebhookSecret)]);
        if (!Uri.TryCreate(ApiBaseUrl, UriKind.Absolute, out _))
            yield return new ValidationResult("Telegram:ApiBaseUrl must be an absolute URL.", [nameof(ApiBaseUrl)]);
    }
}

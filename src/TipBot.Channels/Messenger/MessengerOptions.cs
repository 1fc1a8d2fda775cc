using System.ComponentModel.DataAnnotations;

namespace TipBot.Channels.Messenger;

public sealed class MessengerOptions : IValidatableObject
{
    public const string Section = "Messenger";

    /// <summary>Meta app secret: the key of X-Hub-Signature-256. Empty disables the channel.</summary>
    public string? AppSecret { get; set; }

    /// <summary>The hub.verify_token Meta echoes in the subscription handshake.</summary>
    public string? VerifyToken { get; set; }

    /// <summary>Page access token for the Send API. Empty disables the channel.</summary>
    public string? PageAccessToken { get; set; }

    /// <summary>Graph API root, version included.</summary>
    /// <summary>The Meta app's id: lets register-webhooks set the app's callback URL too (optional).</summary>
    public string? AppId { get; set; }

    public string GraphApiBaseUrl { get; set; } = "https://graph.facebook.com/v25.0";

    /// <summary>
    /// Resend a message refused for being outside the 24-hour window with the HUMAN_AGENT tag
    /// (7 days). Only for a Page whose app Meta has approved for that tag.
    /// </summary>
    public bool UseHumanAgentTag { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(AppSecret) && !string.IsNullOrWhiteSpace(PageAccessToken);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled) yield break;
        if (string.IsNullOrWhiteSpace(VerifyToken))
            yield return new ValidationResult("Messenger:VerifyToken is required when Messenger:AppSecret and Messenger:PageAccessToken are set.", [nameof(VerifyToken)]);
        if (!Uri.TryCreate(GraphApiBaseUrl, UriKind.Absolute, out _))
            yield return new ValidationResult("Messenger:GraphApiBaseUrl must be an absolute URL.", [nameof(GraphApiBaseUrl)]);
    }
}

using System.ComponentModel.DataAnnotations;

namespace TipBot.Channels.Zalo;

public sealed class ZaloOptions : IValidatableObject
{
    public const string Section = "Zalo";

    public string? AppId { get; set; }

    /// <summary>The OA secret key: the last part of the X-ZEvent-Signature MAC.</summary>
    public string? OaSecretKey { get; set; }

    /// <summary>Seeds the stored token pair when the channel_tokens table has none; rotated from then on.</summary>
    public string? AccessToken { get; set; }

    /// <summary>Seeds the stored token pair; Zalo refresh tokens are single use, so the stored one is the live one.</summary>
    public string? RefreshToken { get; set; }

    /// <summary>The app's secret key, sent as the secret_key header of a token refresh.</summary>
    public string? AppSecret { get; set; }

    /// <summary>OpenAPI host only: its paths mix versions (/v3.0/oa/message/cs, /v2.0/oa/quota/message).</summary>
    public string ApiBaseUrl { get; set; } = "https://openapi.zalo.me";

    public string OAuthBaseUrl { get; set; } = "https://oauth.zaloapp.com";

    public string BusinessApiBaseUrl { get; set; } = "https://business.openapi.zalo.me";

    /// <summary>While registering the webhook in Zalo's console: unverified events get 200 (still dropped and logged) instead of 401.</summary>
    public bool SetupMode { get; set; }

    /// <summary>Longest text of one message. Zalo's limit is unconfirmed (2000 and 500 are both quoted).</summary>
    [Range(50, 4000)]
    public int TextLimit { get; set; } = 500;

    /// <summary>Calls per second to Zalo's OpenAPI from this process (Zalo publishes no limit; 20/s is quoted).</summary>
    public int MessagesPerSecond { get; set; } = 20;

    /// <summary>Most buttons on one message (unconfirmed); longer choice lists become numbered lines.</summary>
    [Range(0, 10)]
    public int MaxButtons { get; set; } = 5;

    /// <summary>Longest button title (unconfirmed); longer titles are shortened, the payload kept.</summary>
    [Range(5, 200)]
    public int ButtonTitleLimit { get; set; } = 100;

    /// <summary>
    /// oa.query.show sends the button's payload back as the resident's own message, shown in the
    /// chat; oa.query.hide sends it without showing it.
    /// </summary>
    public string ButtonType { get; set; } = "oa.query.show";

    public bool Enabled => !string.IsNullOrWhiteSpace(AppId) && !string.IsNullOrWhiteSpace(OaSecretKey) &&
                           (!string.IsNullOrWhiteSpace(AccessToken) || !string.IsNullOrWhiteSpace(RefreshToken));

    public bool CanRefresh => !string.IsNullOrWhiteSpace(AppSecret) && !string.IsNullOrWhiteSpace(AppId);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled) yield break;
        if (!string.IsNullOrWhiteSpace(RefreshToken) && string.IsNullOrWhiteSpace(AppSecret))
            yield return new ValidationResult("Zalo:AppSecret is required to refresh tokens when Zalo:RefreshToken is set.", [nameof(AppSecret)]);
        foreach (var (name, value) in new[] { (nameof(ApiBaseUrl), ApiBaseUrl), (nameof(OAuthBaseUrl), OAuthBaseUrl), (nameof(BusinessApiBaseUrl), BusinessApiBaseUrl) })
            if (!Uri.TryCreate(value, UriKind.Absolute, out _))
                yield return new ValidationResult($"Zalo:{name} must be an absolute URL.", [name]);
        if (ButtonType is not ("oa.query.show" or "oa.query.hide"))
            yield return new ValidationResult("Zalo:ButtonType must be oa.query.show or oa.query.hide.", [nameof(ButtonType)]);
    }
}

using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace TipBot.Server.Conversations;

/// <summary>
/// Conversation state and pending turn effects hold what the tipster wrote and the raw id needed
/// to reply; in Redis they are stored encrypted (Data Protection, keys shared through the records
/// database). A payload that cannot be decrypted any more reads as absent.
/// </summary>
public sealed class ConversationPayloadProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("TipBot.Conversation.v1");

    public string Protect(string json) => _protector.Protect(json);

    public string? TryUnprotect(string? stored)
    {
        if (string.IsNullOrEmpty(stored)) return null;
        try
        {
            return _protector.Unprotect(stored);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}

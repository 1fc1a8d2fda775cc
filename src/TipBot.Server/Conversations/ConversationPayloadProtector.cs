using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using TipBot.Server.Persistence;

namespace TipBot.Server.Conversations;

/// <summary>
/// Conversation state and pending turn effects hold what the tipster wrote and the raw id needed
/// to reply; in Redis they are stored encrypted (Data Protection, keys shared through the records
/// database). A payload that cannot be decrypted any more reads as absent; one that cannot be
/// decrypted just now (the key ring unreadable while the database restarts) makes the store
/// unavailable, so the turn waits for its redelivery instead of starting the conversation over.
/// </summary>
public sealed class ConversationPayloadProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("TipBot.Conversation.v1");

    public string Protect(string json)
    {
        try
        {
            return _protector.Protect(json);
        }
        catch (CryptographicException e) when (DbErrors.IsKeyRingUnreachable(e))
        {
            throw new ConversationStoreUnavailableException(e);
        }
    }

    public string? TryUnprotect(string? stored)
    {
        if (string.IsNullOrEmpty(stored)) return null;
        try
        {
            return _protector.Unprotect(stored);
        }
        catch (CryptographicException e) when (DbErrors.IsKeyRingUnreachable(e))
        {
            throw new ConversationStoreUnavailableException(e);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}

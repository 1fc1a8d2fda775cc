using System.Buffers.Text;
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
/// <remarks>
/// Payloads are Data Protection's bytes, UTF-8 JSON inside. Versions before the tenth session
/// stored its string form (the same bytes as base64url text): a third larger, and a conversion
/// to and from UTF-16 and base64 on every read and write. Those are still read, so conversations in progress
/// survive a rolling deploy; they are rewritten as bytes by their next turn.
/// </remarks>
public sealed class ConversationPayloadProtector(IDataProtectionProvider provider)
{
    // Every payload Data Protection writes starts with this byte (its magic header 09 F0 C9 F0);
    // base64url text never does.
    private const byte BinaryMark = 0x09;

    private readonly IDataProtector _protector = provider.CreateProtector("TipBot.Conversation.v1");

    public byte[] Protect(byte[] utf8Json)
    {
        try
        {
            return _protector.Protect(utf8Json);
        }
        catch (CryptographicException e) when (DbErrors.IsKeyRingUnreachable(e))
        {
            throw new ConversationStoreUnavailableException(e);
        }
    }

    /// <summary>The UTF-8 JSON inside a stored payload; null when there is none or no key of ours opens it.</summary>
    public byte[]? TryUnprotect(byte[]? stored)
    {
        if (stored is not { Length: > 0 }) return null;
        try
        {
            return _protector.Unprotect(stored[0] == BinaryMark ? stored : Base64Url.DecodeFromUtf8(stored));
        }
        catch (CryptographicException e) when (DbErrors.IsKeyRingUnreachable(e))
        {
            throw new ConversationStoreUnavailableException(e);
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return null;
        }
    }
}

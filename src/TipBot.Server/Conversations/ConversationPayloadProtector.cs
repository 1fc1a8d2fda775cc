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
/// Inside is UTF-8 JSON. Outside, Data Protection's bytes as base64url text (what versions before
/// the tenth session wrote through its string API, byte for byte, so older nodes in a rolling
/// deploy read it) or, with <c>Conversations:BinaryPayloads</c>, the bytes themselves, a quarter
/// smaller. Both are read. No UTF-16 string in between either way: the string API converted the
/// JSON and the text to and from it on every read and write.
/// </remarks>
public sealed class ConversationPayloadProtector(IDataProtectionProvider provider, bool binary = false)
{
    // Every payload Data Protection writes starts with this byte (its magic header 09 F0 C9 F0);
    // base64url text never does.
    private const byte BinaryMark = 0x09;

    private readonly IDataProtector _protector = provider.CreateProtector("TipBot.Conversation.v1");

    public byte[] Protect(byte[] utf8Json)
    {
        try
        {
            var payload = _protector.Protect(utf8Json);
            return binary ? payload : Base64Url.EncodeToUtf8(payload);
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

using System.Security.Cryptography;
using System.Text;
using System.Text.Unicode;

namespace TipBot.Server.Conversations;

/// <summary>
/// Platform ids appear in storage keys and de-duplication records only as keyed hashes
/// (ARCHITECTURE.md, privacy): a dump of Redis does not list who talked to the police.
/// </summary>
public sealed class ConversationKeys(byte[] key)
{
    public string Conversation(string channel, string chatId) => Hash("c", channel, chatId);

    public string Delivery(string channel, string deliveryId) => Hash("d", channel, deliveryId);

    // Twice per message: the text and the hash stay on the stack, only the key is a new string.
    private string Hash(string kind, string channel, string id)
    {
        Span<byte> buffer = stackalloc byte[512];
        ReadOnlySpan<byte> text = Utf8.TryWrite(buffer, $"{kind}\n{channel}\n{id}", out var length)
            ? buffer[..length]
            : Encoding.UTF8.GetBytes($"{kind}\n{channel}\n{id}"); // an id longer than any platform's today
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, text, mac);
        return Convert.ToHexStringLower(mac[..16]);
    }
}

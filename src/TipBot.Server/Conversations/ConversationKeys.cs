using System.Security.Cryptography;
using System.Text;

namespace TipBot.Server.Conversations;

/// <summary>
/// Platform ids appear in storage keys and de-duplication records only as keyed hashes
/// (ARCHITECTURE.md, privacy): a dump of Redis does not list who talked to the police.
/// </summary>
public sealed class ConversationKeys(byte[] key)
{
    public string Conversation(string channel, string chatId) => Hash("c", channel, chatId);

    public string Delivery(string channel, string deliveryId) => Hash("d", channel, deliveryId);

    private string Hash(string kind, string channel, string id)
    {
        var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{kind}\n{channel}\n{id}"));
        return Convert.ToHexStringLower(mac.AsSpan(0, 16));
    }
}

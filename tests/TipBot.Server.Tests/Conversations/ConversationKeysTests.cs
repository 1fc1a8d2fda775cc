using System.Text;
using TipBot.Server.Conversations;

namespace TipBot.Server.Tests.Conversations;

/// <summary>
/// The keyed hashes that stand for platform ids in Redis must come out as every earlier version
/// made them: a changed hash orphans every conversation in progress and lets each delivery seen
/// before be processed again. The expected values are HMAC-SHA256 of "kind\nchannel\nid" (UTF-8),
/// its first 16 bytes in lower-case hex, worked out apart from this code (Python's hmac).
/// </summary>
public class ConversationKeysTests
{
    private static readonly ConversationKeys Keys = new(Encoding.UTF8.GetBytes("tipbot-test-hash-key"));

    [Theory]
    [InlineData("telegram", "123456789", "94f841c41e8dcbb9526752ab69f9b7c0")]
    [InlineData("zalo", "Nguy\u1EC5n V\u0103n An", "eef7f502ba2c0e27e50bce3b88a55b4d")]
    public void A_conversation_key_is_the_hash_earlier_versions_made(string channel, string chatId, string expected) =>
        Assert.Equal(expected, Keys.Conversation(channel, chatId));

    [Theory]
    [InlineData("telegram", "987654321", "5d359f6b39ef6ddb31dc8f9c108ddecd")]
    [InlineData("messenger", null, "0ec661eab7d3bd73cca18abf29d727d5")] // an id longer than any platform's today
    public void A_delivery_key_is_the_hash_earlier_versions_made(string channel, string? deliveryId, string expected) =>
        Assert.Equal(expected, Keys.Delivery(channel, deliveryId ?? "m_" + new string('x', 600)));
}

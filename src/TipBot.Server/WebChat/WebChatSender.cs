using System.Text.Json;
using TipBot.Channels;
using TipBot.Core.Messaging;
using TipBot.Server.Persistence;

namespace TipBot.Server.WebChat;

/// <summary>The built-in web chat's "platform": bot messages are rows the page polls for.</summary>
public sealed class WebChatSender(IServiceScopeFactory scopes, TimeProvider clock) : IChannelSender
{
    public const string ChannelName = "web";

    public string Channel => ChannelName;

    public async Task SendAsync(string chatId, Reply reply, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TipBotDbContext>();
        db.WebChatMessages.Add(new WebChatMessageRecord
        {
            ChatId = chatId,
            Text = reply.Text,
            ButtonsJson = reply.Buttons is { Count: > 0 } b ? JsonSerializer.Serialize(b) : null,
            // The page loads it from this host, so a relative URL serves as well as an absolute one.
            ImageUrl = reply.Image?.Url,
            At = clock.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync(ct);
    }
}

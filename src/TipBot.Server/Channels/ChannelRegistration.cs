using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TipBot.Channels;
using TipBot.Channels.Messenger;
using TipBot.Channels.Zalo;
using TipBot.Server.Conversations;

namespace TipBot.Server.Channels;

/// <summary>
/// Registration of the chat channels beyond Telegram: one call per channel adds its options, its
/// sender (a typed HttpClient) and, when the channel is configured, its place in the dispatcher.
/// </summary>
public static class ChannelRegistration
{
    /// <summary>A sender the dispatcher takes in only when its channel is configured (decided when resolved).</summary>
    public sealed record OptionalChannelSender(Func<IServiceProvider, IChannelSender?> Resolve);

    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan OAuthTimeout = TimeSpan.FromSeconds(15);

    public static IServiceCollection AddChannelSender<TSender>(this IServiceCollection services, Func<IServiceProvider, bool> enabled)
        where TSender : class, IChannelSender =>
        services.AddSingleton(new OptionalChannelSender(sp => enabled(sp) ? sp.GetRequiredService<TSender>() : null));

    /// <summary>The senders of every configured channel registered through <see cref="AddChannelSender{TSender}"/>.</summary>
    public static IEnumerable<IChannelSender> ConfiguredChannelSenders(this IServiceProvider sp) =>
        sp.GetServices<OptionalChannelSender>().Select(s => s.Resolve(sp)).OfType<IChannelSender>();

    public static IServiceCollection AddMessengerChannel(this IServiceCollection services)
    {
        services.AddOptions<MessengerOptions>().BindConfiguration(MessengerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpClient<MessengerSender>(c => c.Timeout = SendTimeout);
        services.AddHttpClient<MessengerRegistration>(c => c.Timeout = SendTimeout);
        return services.AddChannelSender<MessengerSender>(sp => sp.GetRequiredService<IOptions<MessengerOptions>>().Value.Enabled);
    }

    public static IServiceCollection AddZaloChannel(this IServiceCollection services)
    {
        services.AddOptions<ZaloOptions>().BindConfiguration(ZaloOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpClient<ZaloSender>(c => c.Timeout = SendTimeout);
        services.AddHttpClient<ZaloOAuthClient>(c => c.Timeout = OAuthTimeout);
        services.AddSingleton<IRefreshLease>(sp => sp.GetService<IConnectionMultiplexer>() is { } redis
            ? new RedisRefreshLease(redis, sp.GetRequiredService<RedisKeyPrefix>(), sp.GetRequiredService<TimeProvider>())
            : new InProcessRefreshLease());
        services.AddSingleton<ZaloTokenStore>();
        services.AddSingleton<IZaloAccessTokens>(sp => sp.GetRequiredService<ZaloTokenStore>());
        services.AddSingleton<ZaloThrottle>();
        return services.AddChannelSender<ZaloSender>(sp => sp.GetRequiredService<IOptions<ZaloOptions>>().Value.Enabled);
    }
}

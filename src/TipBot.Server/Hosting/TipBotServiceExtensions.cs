using System.Text;
using Hangfire;
using Hangfire.InMemory;
using Hangfire.Redis.StackExchange;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TipBot.Channels;
using TipBot.Channels.Telegram;
using TipBot.Core.Classification;
using TipBot.Dialogs.Engine;
using TipBot.Server.Channels;
using TipBot.Server.Conversations;
using TipBot.Server.Directory;
using TipBot.Server.Admin;
using TipBot.Server.Jobs;
using TipBot.Server.Notices;
using TipBot.Server.Officers;
using TipBot.Server.Outbox;
using TipBot.Server.Persistence;
using TipBot.Server.Privacy;
using TipBot.Server.Tips;
using TipBot.Server.WebChat;
using TipBot.Server.Webhooks;

namespace TipBot.Server.Hosting;

/// <summary>The composition root's chapters: each adds one part of the architecture.</summary>
public static class TipBotServiceExtensions
{
    public static WebApplicationBuilder AddTipBotCore(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<TipBotOptions>().BindConfiguration(TipBotOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<JobsOptions>().BindConfiguration(JobsOptions.Section);
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ITipClassifier>(sp => TrainedTipClassifier.LoadOrFallback(logger: sp.GetRequiredService<ILoggerFactory>().CreateLogger<TrainedTipClassifier>()));
        services.AddSingleton<UrgencyDetector>();
        services.AddSingleton<DialogEngine>();
        services.AddSingleton<TipBotMetrics>();
        services.AddSingleton<DirectoryCache>();
        services.AddSingleton<DutyRosterCache>();
        services.AddSingleton<OfficerLoads>();
        services.AddSingleton<TipLookup>();
        services.AddSingleton<TurnServicesFactory>();
        services.AddSingleton<CommandApplier>();
        services.AddSingleton<OutboxWriter>();
        services.AddSingleton<MarkWriter>();
        services.AddSingleton<SubmissionWriter>();
        services.AddSingleton<TurnProcessor>();
        services.AddSingleton<PendingTurnSweep>();
        services.AddSingleton<SampleDirectorySeeder>();
        services.AddScoped<DirectoryImporter>();
        services.AddScoped<RosterImporter>();
        services.AddScoped<SubmitTipHandler>();
        services.AddScoped<FirstAssignment>();
        services.AddScoped<AcceptAssignmentHandler>();
        services.AddScoped<OfficerActionHandler>();
        services.AddScoped<LinkCodes>();
        services.AddScoped<Notifier>();
        services.AddScoped<RoutingSituationLoader>();
        services.AddOptions<RoutingOptions>().BindConfiguration(RoutingOptions.Section);
        services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.Section);
        services.AddOptions<BroadcastOptions>().BindConfiguration(BroadcastOptions.Section)
            .Validate(o => o.ClaimLease >= TimeSpan.FromSeconds(1), "Broadcast:ClaimLease must be at least 00:00:01 (the worker renews it every fifth of it)")
            .Validate(o => o.PaceMargin is >= 0 and < 0.5, "Broadcast:PaceMargin must be in [0, 0.5)")
            .ValidateOnStart();
        services.AddScoped<SubscriptionHandler>();
        services.AddScoped<PrivacyHandler>();
        services.AddOptions<PrivacyOptions>().BindConfiguration(PrivacyOptions.Section);
        services.AddSingleton<BroadcastPacer>();
        services.AddScoped<NoticeBroadcasts>();
        services.AddSingleton<NoticeImages>();
        services.AddRecordsDatabase(builder.Configuration);
        return builder;
    }

    /// <summary>Redis when ConnectionStrings:Redis is set, else in-process stores (the embedded default).</summary>
    public static WebApplicationBuilder AddTipBotStores(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ConversationStoreOptions>().BindConfiguration(ConversationStoreOptions.Section);
        services.AddSingleton(sp => new ConversationKeys(Encoding.UTF8.GetBytes(sp.GetRequiredService<IOptions<TipBotOptions>>().Value.HashKey)));
        var prefix = new RedisKeyPrefix(builder.Configuration["Redis:KeyPrefix"] is { Length: > 0 } p ? p : "tipbot");
        services.AddSingleton(prefix);
        services.AddSingleton(sp => new ConversationPayloadProtector(sp.GetRequiredService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>(),
            sp.GetRequiredService<IOptions<ConversationStoreOptions>>().Value.BinaryPayloads));

        var redis = builder.Configuration.GetConnectionString("Redis");
        if (string.IsNullOrWhiteSpace(redis))
        {
            services.AddSingleton<IConversationStore, InMemoryConversationStore>();
            services.AddSingleton<JobStorage>(_ => new InMemoryStorage());
        }
        else
        {
            services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(redis));
            services.AddSingleton<IConversationStore, RedisConversationStore>();
            // One hash tag for every Hangfire key, so Redis Cluster keeps them in one slot.
            services.AddSingleton<JobStorage>(sp => new RedisStorage(sp.GetRequiredService<IConnectionMultiplexer>(),
                new RedisStorageOptions
                {
                    Prefix = $"{{{prefix.Value}:hangfire}}:",
                    // A killed server's jobs come back after this (default 30 min). Sends are
                    // bounded by a 10 s HTTP timeout, so no live job runs anywhere near as long.
                    InvisibilityTimeout = builder.Configuration.GetValue("Jobs:InvisibilityTimeout", TimeSpan.FromMinutes(5)),
                }));
        }
        return builder;
    }

    public static WebApplicationBuilder AddTipBotJobs(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddScoped<RouteTipJob>();
        services.AddScoped<SpecialistCopies>();
        services.AddSingleton<TipRouter>();
        services.AddHostedService(sp => sp.GetRequiredService<TipRouter>());
        services.AddScoped<WaitingMessages>();
        services.AddSingleton<TipBot.Server.Channels.WebhookRegistration>();
        services.AddScoped<AlertOfficerJob>();
        services.AddScoped<EscalateJob>();
        services.AddHostedService<EscalationClock>();
        services.AddScoped<BroadcastJob>();
        services.AddScoped<BroadcastResume>();
        services.AddScoped<SendOutboundJob>();
        services.AddScoped<SweepJob>();
        var jobs = builder.Configuration.GetSection(JobsOptions.Section).Get<JobsOptions>() ?? new JobsOptions();
        services.AddHangfire((sp, config) =>
        {
            config
                .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings()
                .UseStorage(sp.GetRequiredService<JobStorage>());
        });
        services.AddHangfireServer(o =>
        {
            o.WorkerCount = jobs.WorkerCount;
            o.SchedulePollingInterval = TimeSpan.FromSeconds(1);
            o.ShutdownTimeout = jobs.ShutdownTimeout;
        });
        return builder;
    }

    public static WebApplicationBuilder AddChannels(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        // HttpClient's own logging writes request URLs: Telegram's carry the bot token, Meta's the page token.
        services.ConfigureHttpClientDefaults(http => http.RemoveAllLoggers());
        services.AddOptions<TelegramOptions>().BindConfiguration(TelegramOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // 10 s: with two inline retries a send stays well inside the effects lease and the claim timeout.
        services.AddHttpClient(TelegramOptions.Section, http => http.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton(sp => new TelegramSender(sp.GetRequiredService<IOptions<TelegramOptions>>(),
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(TelegramOptions.Section)));
        services.AddMessengerChannel();
        services.AddZaloChannel();
        services.AddSingleton<WebChatSender>();
        services.AddSingleton(sp =>
        {
            var senders = new List<IChannelSender> { sp.GetRequiredService<WebChatSender>() };
            if (sp.GetRequiredService<IOptions<TelegramOptions>>().Value.Enabled) senders.Add(sp.GetRequiredService<TelegramSender>());
            senders.AddRange(sp.ConfiguredChannelSenders());
            var resilience = sp.GetRequiredService<IConfiguration>().GetSection("Channels:Resilience").Get<ChannelResilience>();
            return new ChannelDispatcher(senders, sp.GetRequiredService<TimeProvider>(), resilience, sp.GetRequiredService<ILogger<ChannelDispatcher>>());
        });
        return builder;
    }

    /// <summary>
    /// Hangfire's retry filter is process-wide; replacing it (not adding another) keeps one in force.
    /// Called once Hangfire is configured: the filter takes its logger from the host's log provider.
    /// </summary>
    public static void UseRetryDelays(int[] delaysSeconds)
    {
        foreach (var filter in GlobalJobFilters.Filters.Where(f => f.Instance is AutomaticRetryAttribute).ToList())
            GlobalJobFilters.Filters.Remove(filter.Instance);
        GlobalJobFilters.Filters.Add(new AutomaticRetryAttribute
        {
            Attempts = delaysSeconds.Length,
            DelaysInSeconds = delaysSeconds,
            OnAttemptsExceeded = AttemptsExceededAction.Fail,
        });
    }
}

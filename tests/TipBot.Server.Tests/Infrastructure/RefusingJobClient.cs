using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace TipBot.Server.Tests.Infrastructure;

/// <summary>
/// Hangfire's client as it behaves while Redis is away: creating a job throws what
/// Hangfire.Redis.StackExchange throws then. Refuses the first <c>refusals</c> jobs (of one type, if given).
/// </summary>
public sealed class RefusingJobClient(IBackgroundJobClient real, int refusals, Type? onlyOf) : IBackgroundJobClient
{
    private readonly List<Type> _created = [];

    public int Refused { get; private set; }

    public int Enqueued(Type job)
    {
        lock (_created) return _created.Count(t => t == job);
    }

    public string Create(Job job, IState state)
    {
        lock (_created)
        {
            if (Refused < refusals && (onlyOf is null || job.Type == onlyOf))
            {
                Refused++;
                throw new BackgroundJobClientException("Background job creation failed. See inner exception for details.",
                    new StackExchange.Redis.RedisConnectionException(StackExchange.Redis.ConnectionFailureType.UnableToConnect, StackExchange.Redis.CommandFlags.None, "No redis server available", null, StackExchange.Redis.CommandStatus.Unknown));
            }
        }
        var id = real.Create(job, state);
        lock (_created) _created.Add(job.Type);
        return id;
    }

    public bool ChangeState(string jobId, IState state, string expectedState) => real.ChangeState(jobId, state, expectedState);

    public static void Install(IServiceCollection services, int refusals, Action<RefusingJobClient> installed, Type? onlyOf = null)
    {
        var registered = services.Last(d => d.ServiceType == typeof(IBackgroundJobClient));
        services.RemoveAll<IBackgroundJobClient>();
        services.AddSingleton<IBackgroundJobClient>(sp =>
        {
            var real = registered.ImplementationFactory is { } factory ? (IBackgroundJobClient)factory(sp)
                : registered.ImplementationInstance as IBackgroundJobClient ?? (IBackgroundJobClient)ActivatorUtilities.CreateInstance(sp, registered.ImplementationType!);
            var client = new RefusingJobClient(real, refusals, onlyOf);
            installed(client);
            return client;
        });
    }
}

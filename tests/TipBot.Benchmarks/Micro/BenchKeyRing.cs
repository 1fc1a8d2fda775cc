using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.DependencyInjection;
using TipBot.Server.Persistence;

namespace TipBot.Benchmarks.Micro;

/// <summary>
/// Data Protection set up as the server sets it up (<see cref="PersistenceServiceExtensions.AddTipBotDataProtection"/>),
/// its key ring in memory. Not the ephemeral provider: that one ignores the configured algorithm.
/// </summary>
internal static class BenchKeyRing
{
    public static IDataProtectionProvider Provider(Action<IDataProtectionBuilder>? change = null)
    {
        var services = new ServiceCollection();
        var keys = services.AddTipBotDataProtection();
        change?.Invoke(keys);
        services.Configure<KeyManagementOptions>(o => o.XmlRepository = new InMemoryKeys());
        return services.BuildServiceProvider().GetRequiredService<IDataProtectionProvider>();
    }

    private sealed class InMemoryKeys : IXmlRepository
    {
        private readonly List<XElement> _keys = [];

        public IReadOnlyCollection<XElement> GetAllElements()
        {
            lock (_keys) return [.. _keys];
        }

        public void StoreElement(XElement element, string friendlyName)
        {
            lock (_keys) _keys.Add(element);
        }
    }
}

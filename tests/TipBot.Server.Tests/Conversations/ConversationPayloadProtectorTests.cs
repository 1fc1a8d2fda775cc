using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.DependencyInjection;
using TipBot.Server.Conversations;

namespace TipBot.Server.Tests.Conversations;

/// <summary>
/// A stored conversation that cannot be opened just now (the key ring lives in the records
/// database, which may be restarting) is not one that can never be opened: the first must wait,
/// the second reads as absent. Found by the long fault run (seed 186309): a node that started
/// during a PostgreSQL restart read a resident's state as garbage and began the tip over.
/// </summary>
public class ConversationPayloadProtectorTests
{
    /// <summary>The keys in the records database, as EF Core reports it while PostgreSQL is down.</summary>
    private sealed class RecordsDatabaseKeys(List<XElement> keys) : IXmlRepository
    {
        public volatile bool Down;

        public IReadOnlyCollection<XElement> GetAllElements() => Down ? throw Outage() : keys.ToList();

        public void StoreElement(XElement element, string friendlyName)
        {
            if (Down) throw Outage();
            keys.Add(element);
        }

        private static InvalidOperationException Outage() =>
            new("An exception has been raised that is likely due to a transient failure.", new Npgsql.NpgsqlException("Failed to connect to 127.0.0.1:5432"));
    }

    private static ConversationPayloadProtector Node(IXmlRepository keys)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddDataProtection().SetApplicationName("TipBot");
        services.Configure<KeyManagementOptions>(o => o.XmlRepository = keys);
        return new ConversationPayloadProtector(services.BuildServiceProvider().GetRequiredService<IDataProtectionProvider>());
    }

    [Fact]
    public void A_state_read_while_the_key_ring_is_unreachable_waits_and_reads_once_it_is_back()
    {
        var shared = new List<XElement>();
        var stored = Node(new RecordsDatabaseKeys(shared)).Protect("""{"culture":"vi"}""");
        var keys = new RecordsDatabaseKeys(shared) { Down = true };
        var startedDuringTheRestart = Node(keys);

        var e = Assert.Throws<ConversationStoreUnavailableException>(() => startedDuringTheRestart.TryUnprotect(stored));
        Assert.Throws<ConversationStoreUnavailableException>(() => startedDuringTheRestart.Protect("{}"));
        Assert.IsType<System.Security.Cryptography.CryptographicException>(e.InnerException);

        keys.Down = false;
        Assert.Equal("""{"culture":"vi"}""", startedDuringTheRestart.TryUnprotect(stored));
    }

    [Fact]
    public void A_state_no_key_of_ours_opens_reads_as_absent()
    {
        var stored = Node(new RecordsDatabaseKeys([])).Protect("""{"culture":"vi"}""");

        Assert.Null(Node(new RecordsDatabaseKeys([])).TryUnprotect(stored)); // another deployment's keys
        Assert.Null(Node(new RecordsDatabaseKeys([])).TryUnprotect("not a payload at all"));
    }
}

using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.DependencyInjection;
using TipBot.Server.Conversations;
using TipBot.Server.Persistence;

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

    private static ConversationPayloadProtector Node(IXmlRepository keys) => new(Provider(keys));

    /// <param name="beforeGcm">Set up as before the twenty-first session: Data Protection's default algorithm.</param>
    private static IDataProtectionProvider Provider(IXmlRepository keys, bool beforeGcm = false)
    {
        var services = new ServiceCollection().AddLogging();
        if (beforeGcm) services.AddDataProtection().SetApplicationName("TipBot");
        else services.AddTipBotDataProtection();
        services.Configure<KeyManagementOptions>(o => o.XmlRepository = keys);
        return services.BuildServiceProvider().GetRequiredService<IDataProtectionProvider>();
    }

    private static byte[] Json(string json) => Encoding.UTF8.GetBytes(json);

    [Fact]
    public void A_state_read_while_the_key_ring_is_unreachable_waits_and_reads_once_it_is_back()
    {
        var shared = new List<XElement>();
        var stored = Node(new RecordsDatabaseKeys(shared)).Protect(Json("""{"culture":"vi"}"""));
        var keys = new RecordsDatabaseKeys(shared) { Down = true };
        var startedDuringTheRestart = Node(keys);

        var e = Assert.Throws<ConversationStoreUnavailableException>(() => startedDuringTheRestart.TryUnprotect(stored));
        Assert.Throws<ConversationStoreUnavailableException>(() => startedDuringTheRestart.Protect(Json("{}")));
        Assert.IsType<System.Security.Cryptography.CryptographicException>(e.InnerException);

        keys.Down = false;
        Assert.Equal(Json("""{"culture":"vi"}"""), startedDuringTheRestart.TryUnprotect(stored));
    }

    [Fact]
    public void A_state_no_key_of_ours_opens_reads_as_absent()
    {
        var stored = Node(new RecordsDatabaseKeys([])).Protect(Json("""{"culture":"vi"}"""));

        Assert.Null(Node(new RecordsDatabaseKeys([])).TryUnprotect(stored)); // another deployment's keys
        Assert.Null(Node(new RecordsDatabaseKeys([])).TryUnprotect(Json("not a payload at all")));
        Assert.Null(Node(new RecordsDatabaseKeys([])).TryUnprotect([0x09, 0xF0, 0xC9])); // cut off after the header
    }

    [Fact]
    public void Payloads_are_written_as_older_versions_read_them_unless_bytes_are_asked_for_and_both_are_read()
    {
        // Before the tenth session the store used Data Protection's string API; in a rolling
        // deploy, older nodes read what this one writes and the other way round.
        var shared = new List<XElement>();
        var olderNode = Provider(new RecordsDatabaseKeys(shared)).CreateProtector("TipBot.Conversation.v1");
        const string json = """{"culture":"vi","note":"ma túy"}""";
        var text = Node(new RecordsDatabaseKeys(shared));
        var binary = new ConversationPayloadProtector(Provider(new RecordsDatabaseKeys(shared)), binary: true);

        var fromOlder = Encoding.UTF8.GetBytes(olderNode.Protect(json));
        Assert.Equal(Json(json), text.TryUnprotect(fromOlder));
        Assert.Equal(Json(json), binary.TryUnprotect(fromOlder));

        var asText = text.Protect(Json(json));
        Assert.Equal(json, olderNode.Unprotect(Encoding.UTF8.GetString(asText)));

        var asBytes = binary.Protect(Json(json));
        Assert.Equal(0x09, asBytes[0]); // Data Protection's own header, no text around it
        Assert.True(asBytes.Length * 4 <= asText.Length * 3 + 3, $"{asBytes.Length} bytes, {asText.Length} as text");
        Assert.Equal(Json(json), text.TryUnprotect(asBytes));
    }

    [Fact]
    public void New_keys_are_AES_GCM_and_payloads_under_keys_of_either_algorithm_open_on_nodes_of_either_version()
    {
        const string json = """{"culture":"vi","note":"ma túy ở hẻm 12"}""";
        static string Algorithm(List<XElement> ring) =>
            Assert.Single(ring).Descendants("encryption").Single().Attribute("algorithm")!.Value;

        // A ring made before the switch keeps its CBC key, and what it protected opens on a new node.
        var olderRing = new List<XElement>();
        var fromOlder = new ConversationPayloadProtector(Provider(new RecordsDatabaseKeys(olderRing), beforeGcm: true)).Protect(Json(json));
        Assert.Equal("AES_256_CBC", Algorithm(olderRing));
        Assert.Equal(Json(json), Node(new RecordsDatabaseKeys(olderRing)).TryUnprotect(fromOlder));

        // A new ring's key is GCM, and a node of an earlier version in a rolling deploy opens its payloads.
        var newRing = new List<XElement>();
        var fromNew = Node(new RecordsDatabaseKeys(newRing)).Protect(Json(json));
        Assert.Equal("AES_256_GCM", Algorithm(newRing));
        Assert.Equal(Json(json), new ConversationPayloadProtector(Provider(new RecordsDatabaseKeys(newRing), beforeGcm: true)).TryUnprotect(fromNew));
    }
}

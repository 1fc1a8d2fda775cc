using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.AuthenticatedEncryption;
using Microsoft.AspNetCore.DataProtection.AuthenticatedEncryption.ConfigurationModel;
using TipBot.Dialogs.Engine;
using TipBot.Server.Conversations;

namespace TipBot.Benchmarks.Micro;

/// <summary>
/// The Redis store's encryption at rest (ConversationPayloadProtector) under each algorithm a key
/// ring can hold: Data Protection's default (AES-256-CBC, then HMAC-SHA256) and AES-256-GCM. A key's
/// algorithm is written into the key itself, so a ring may hold both while keys roll over.
/// </summary>
[MemoryDiagnoser]
public class PayloadProtectionBenchmarks
{
    private ConversationPayloadProtector _protector = null!;
    private byte[] _json = [];
    private byte[] _protected = [];

    [Params(EncryptionAlgorithm.AES_256_CBC, EncryptionAlgorithm.AES_256_GCM)]
    public EncryptionAlgorithm Algorithm { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _protector = new ConversationPayloadProtector(BenchKeyRing.Provider(keys =>
            keys.UseCryptographicAlgorithms(new AuthenticatedEncryptorConfiguration { EncryptionAlgorithm = Algorithm })));
        _json = StateSerializer.Serialize(new DialogFixture().StateAt("awaiting_confirm"));
        _protected = _protector.Protect(_json);
    }

    [Benchmark]
    public byte[] Protect() => _protector.Protect(_json);

    [Benchmark]
    public byte[]? Unprotect() => _protector.TryUnprotect(_protected);
}

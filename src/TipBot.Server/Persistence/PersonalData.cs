using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using TipBot.Dialogs.Engine;
using TipBot.Server.Hosting;

namespace TipBot.Server.Persistence;

/// <summary>
/// Personal data at rest (PDPL 91/2025: crime and location data are sensitive): platform ids and
/// phone numbers are stored encrypted with ASP.NET Core Data Protection, whose keys live in the
/// records database so every node shares them. Where a row must be found by its chat, it also
/// carries a keyed hash of it (<see cref="ChatKey"/>), never the id itself.
/// </summary>
public sealed class PersonalData(IDataProtectionProvider provider, IOptions<TipBotOptions> options) : ITipPins
{
    private readonly IDataProtector _protector = provider.CreateProtector("TipBot.PersonalData.v1");
    private readonly byte[] _hashKey = Encoding.UTF8.GetBytes(options.Value.HashKey);

    public string Protect(string plain) => _protector.Protect(plain);

    public string? ProtectOrNull(string? plain) => plain is null ? null : _protector.Protect(plain);

    public string Unprotect(string stored) => _protector.Unprotect(stored);

    public string? UnprotectOrNull(string? stored) => stored is null ? null : _protector.Unprotect(stored);

    /// <summary>A stable keyed hash of a chat, for lookups and unique keys.</summary>
    public string ChatKey(string channel, string chatId) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_hashKey, Encoding.UTF8.GetBytes($"chat\n{channel}\n{chatId}")).AsSpan(0, 16));

    /// <summary>The PIN shown with a tip's code: derived with the same key, so nothing is stored.</summary>
    public string PinFor(string code) => TipPins.Derive(_hashKey, code);
}

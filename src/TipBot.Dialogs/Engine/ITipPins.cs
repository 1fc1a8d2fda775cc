using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace TipBot.Dialogs.Engine;

/// <summary>
/// The PIN given with a tip's code at submission: whoever has both may see the tip's status from
/// another chat. Derived from the code with a keyed hash, so nothing new is stored.
/// </summary>
public interface ITipPins
{
    string PinFor(string code);
}

public static class TipPins
{
    public const int Digits = 6;

    /// <summary>6 digits of HMAC-SHA256(key, "tip-pin\n" + code).</summary>
    public static string Derive(byte[] key, string code)
    {
        var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes("tip-pin\n" + code));
        var number = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(mac) % 1_000_000;
        return number.ToString("D6", CultureInfo.InvariantCulture);
    }

    /// <summary>Compares in constant time, so the time an answer takes says nothing about the PIN.</summary>
    public static bool Matches(string expected, string given) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(given));

    /// <summary>"123 456", "123-456" → "123456"; null unless exactly six digits.</summary>
    public static string? Parse(string? text)
    {
        if (text is null) return null;
        var digits = new string(text.Where(char.IsAsciiDigit).ToArray());
        return digits.Length == Digits && text.All(c => char.IsAsciiDigit(c) || c is ' ' or '-' or '.') ? digits : null;
    }
}

/// <summary>PINs keyed with the service's hash key (TipBot:HashKey).</summary>
public sealed class KeyedTipPins(byte[] key) : ITipPins
{
    public string PinFor(string code) => TipPins.Derive(key, code);
}

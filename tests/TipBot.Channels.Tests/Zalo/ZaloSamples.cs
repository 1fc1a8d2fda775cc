using System.Security.Cryptography;
using System.Text;

namespace TipBot.Channels.Tests.Zalo;

/// <summary>Zalo OA events shaped like CHANNELS.md's captured samples: ids and epoch-ms timestamps as strings.</summary>
public static class ZaloSamples
{
    public const string AppId = "2553928453557884079";
    public const string OaId = "3662729599332560487";
    public const string UserId = "6142494823715306254";
    public const string OaSecretKey = "Xk3mP9qL2vR7tY1wZ5nB";

    /// <summary>The captured user_send_text event, with the sample's masked user id filled in.</summary>
    public static readonly string CapturedText = $$"""
        {"event_name": "user_send_text","app_id": "{{AppId}}",
         "sender": {"id": "{{UserId}}"},"recipient": {"id": "{{OaId}}"},
         "message": {"text": "Chào A4B","msg_id": "cb31dff1c39642cc1b83"},
         "timestamp": "1699003881354","user_id_by_app": "979122185046046317"}
        """;

    public static string UserEvent(string eventName, string message, string timestamp = "\"1699003881354\"") => $$"""
        {"event_name":"{{eventName}}","app_id":"{{AppId}}","sender":{"id":"{{UserId}}"},"recipient":{"id":"{{OaId}}"},
         "message":{{message}},"timestamp":{{timestamp}},"user_id_by_app":"979122185046046317"}
        """;

    /// <summary>Computed here independently: lowercase hex SHA-256 of app_id + body + timestamp + key.</summary>
    public static string Mac(byte[] body, string timestamp = "1699003881354", string key = OaSecretKey, string appId = AppId) =>
        Convert.ToHexString(SHA256.HashData([.. Encoding.UTF8.GetBytes(appId), .. body, .. Encoding.UTF8.GetBytes(timestamp + key)])).ToLowerInvariant();

    public static byte[] Bytes(string json) => Encoding.UTF8.GetBytes(json);
}

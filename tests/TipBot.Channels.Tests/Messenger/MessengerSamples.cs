using System.Text;

namespace TipBot.Channels.Tests.Messenger;

/// <summary>Meta's samples (CHANNELS.md) with realistic ids: 16-digit PSIDs and page ids, "m_" mids.</summary>
public static class MessengerSamples
{
    public const string Psid = "6754312098765432";
    public const string OtherPsid = "7012345678901234";
    public const string PageId = "1029384756473829";
    public const string Mid = "m_Qx7Lp2Vb9sRt4YhK1nWc8ZeJ3uGm6FaD0oPiS5yTqBr-_vNkXlHd2jUw7CfE9gA1zM";
    public const string AppSecret = "9c1f4e2a7b3d8e5f6a0b1c2d3e4f5a6b";

    public static string Envelope(params string[] events) =>
        $$"""{"object":"page","entry":[{"id":"{{PageId}}","time":1458692752478,"messaging":[{{string.Join(",", events)}}]}]}""";

    public static string Event(string inner, string psid = Psid, long timestamp = 1458692752478) =>
        $$"""{"sender":{"id":"{{psid}}"},"recipient":{"id":"{{PageId}}"},"timestamp":{{timestamp}},{{inner}}}""";

    /// <summary>Meta's quick-reply sample, byte for byte apart from the ids.</summary>
    public static readonly string QuickReply = $$$$"""
        {"object":"page","entry":[{"id":"{{{{PageId}}}}","time":1458692752478,"messaging":[
        {"sender":{"id":"{{{{Psid}}}}"},"recipient":{"id":"{{{{PageId}}}}"},"timestamp":1458692752478,
         "message":{"mid":"{{{{Mid}}}}","text":"hello, world!",
                    "quick_reply": {"payload": "time:today"}}}
        ]}]}
        """;

    public static string Text(string text, string mid = Mid, string psid = Psid) =>
        Event($$"""
            "message":{"mid":"{{mid}}","text":{{System.Text.Json.JsonSerializer.Serialize(text)}}}
            """, psid);

    public static byte[] Bytes(string json) => Encoding.UTF8.GetBytes(json);
}

using System.Security.Cryptography;
using System.Text;
using TipBot.Channels.Messenger;
using static TipBot.Channels.Tests.Messenger.MessengerSamples;

namespace TipBot.Channels.Tests.Messenger;

public class MessengerSignatureTests
{
    /// <summary>Computed here independently of the code under test: "sha256=" + hex(HMAC-SHA256(secret, bytes)).</summary>
    private static string MetaSignature(byte[] body, string secret = AppSecret) =>
        "sha256=" + Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body)).ToLowerInvariant();

    // What Meta sends for a resident's Vietnamese text: non-ASCII escaped as \uXXXX.
    private static readonly byte[] EscapedVietnamese = Bytes(Envelope(Event($$"""
        "message":{"mid":"{{Mid}}","text":"C\u00f3 ng\u01b0\u1eddi b\u00e1n ma t\u00fay \u1edf ph\u01b0\u1eddng H\u1ea3i Ch\u00e2u"}
        """)));

    // The same event as raw UTF-8.
    private static readonly byte[] RawVietnamese = Bytes(Envelope(Event($$"""
        "message":{"mid":"{{Mid}}","text":"Có người bán ma túy ở phường Hải Châu"}
        """)));

    [Fact]
    public void The_signature_Meta_computes_over_the_sample_verifies()
    {
        var body = Bytes(QuickReply);

        Assert.True(MessengerSignature.Verify(body, MetaSignature(body), AppSecret));
        Assert.Equal(MetaSignature(body), MessengerSignature.Sign(body, AppSecret));
    }

    [Fact]
    public void Vietnamese_text_escaped_as_Meta_sends_it_verifies_on_the_received_bytes()
    {
        Assert.True(MessengerSignature.Verify(EscapedVietnamese, MetaSignature(EscapedVietnamese), AppSecret));
    }

    [Fact]
    public void Vietnamese_text_as_raw_UTF8_verifies_on_the_received_bytes()
    {
        Assert.True(MessengerSignature.Verify(RawVietnamese, MetaSignature(RawVietnamese), AppSecret));
    }

    [Fact]
    public void A_re_encoded_body_does_not_verify_with_the_original_signature()
    {
        // Why the raw bytes matter: the same JSON with other escaping is other bytes.
        Assert.False(MessengerSignature.Verify(RawVietnamese, MetaSignature(EscapedVietnamese), AppSecret));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sha256=")]
    [InlineData("sha256=0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("sha1=5bd2f5d1a0b2d8bd1ac3a9c5e3b7cb0a0d5c0f1e")]
    public void A_missing_or_wrong_signature_does_not_verify(string? header)
    {
        Assert.False(MessengerSignature.Verify(Bytes(QuickReply), header, AppSecret));
    }

    [Fact]
    public void A_signature_made_with_another_secret_or_without_its_prefix_does_not_verify()
    {
        var body = Bytes(QuickReply);

        Assert.False(MessengerSignature.Verify(body, MetaSignature(body, "another-app-secret"), AppSecret));
        Assert.False(MessengerSignature.Verify(body, MetaSignature(body)["sha256=".Length..], AppSecret));
    }

    [Fact]
    public void One_changed_byte_breaks_the_signature()
    {
        var body = Bytes(QuickReply);
        var signature = MetaSignature(body);
        body[^5] ^= 0x01;

        Assert.False(MessengerSignature.Verify(body, signature, AppSecret));
    }

    [Theory]
    [InlineData("meatyhamhock", "meatyhamhock", true)]
    [InlineData("meatyhamhock", "meatyhamhocks", false)]
    [InlineData("", "meatyhamhock", false)]
    [InlineData(null, "meatyhamhock", false)]
    [InlineData("anything", "", false)]
    public void The_handshake_verify_token_must_equal_the_configured_one(string? sent, string expected, bool matches)
    {
        Assert.Equal(matches, MessengerSignature.VerifyTokenMatches(sent, expected));
    }
}

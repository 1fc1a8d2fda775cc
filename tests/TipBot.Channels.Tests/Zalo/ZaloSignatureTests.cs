using TipBot.Channels.Zalo;
using static TipBot.Channels.Tests.Zalo.ZaloSamples;

namespace TipBot.Channels.Tests.Zalo;

public class ZaloSignatureTests
{
    private static readonly byte[] Sample = Bytes(CapturedText);

    // A resident's Vietnamese text as raw UTF-8, and the same text \u-escaped.
    private static readonly byte[] RawVietnamese = Bytes(UserEvent("user_send_text", """{"text":"Có người bán ma túy ở phường Hải Châu","msg_id":"v1"}"""));
    private static readonly byte[] EscapedVietnamese = Bytes(UserEvent("user_send_text",
        """{"text":"C\u00f3 ng\u01b0\u1eddi b\u00e1n ma t\u00fay \u1edf ph\u01b0\u1eddng H\u1ea3i Ch\u00e2u","msg_id":"v1"}"""));

    [Fact]
    public void The_sample_verifies_with_the_mac_prefix()
    {
        Assert.True(ZaloSignature.Verify(Sample, "mac=" + Mac(Sample), OaSecretKey));
    }

    [Fact]
    public void The_sample_verifies_without_the_mac_prefix()
    {
        Assert.True(ZaloSignature.Verify(Sample, Mac(Sample), OaSecretKey));
    }

    [Fact]
    public void The_mac_is_the_one_Zalo_computes()
    {
        Assert.Equal(Mac(Sample), ZaloSignature.ComputeMac(Sample, AppId, "1699003881354", OaSecretKey));
    }

    [Fact]
    public void Vietnamese_text_verifies_on_the_received_bytes_raw_or_escaped()
    {
        Assert.True(ZaloSignature.Verify(RawVietnamese, "mac=" + Mac(RawVietnamese), OaSecretKey));
        Assert.True(ZaloSignature.Verify(EscapedVietnamese, "mac=" + Mac(EscapedVietnamese), OaSecretKey));
        Assert.False(ZaloSignature.Verify(RawVietnamese, "mac=" + Mac(EscapedVietnamese), OaSecretKey));
    }

    [Fact]
    public void App_id_and_timestamp_sent_as_numbers_are_hashed_as_their_text()
    {
        var body = Bytes($$"""{"event_name":"user_send_text","app_id":{{AppId}},"sender":{"id":"{{UserId}}"},"message":{"text":"alo","msg_id":"n1"},"timestamp":1699003881354}""");

        Assert.True(ZaloSignature.Verify(body, Mac(body), OaSecretKey));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("mac=")]
    [InlineData("mac=0000000000000000000000000000000000000000000000000000000000000000")]
    public void A_missing_or_wrong_signature_does_not_verify(string? header)
    {
        Assert.False(ZaloSignature.Verify(Sample, header, OaSecretKey));
    }

    [Fact]
    public void A_mac_made_with_another_key_or_over_a_changed_body_does_not_verify()
    {
        Assert.False(ZaloSignature.Verify(Sample, Mac(Sample, key: "another-key"), OaSecretKey));
        var changed = (byte[])Sample.Clone();
        changed[^3] ^= 0x01;
        Assert.False(ZaloSignature.Verify(changed, Mac(Sample), OaSecretKey));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"event_name\":\"user_send_text\"}")]
    [InlineData("[]")]
    public void A_body_without_app_id_and_timestamp_does_not_verify(string json)
    {
        var body = Bytes(json);

        Assert.False(ZaloSignature.Verify(body, Mac(body), OaSecretKey));
    }
}

using TipBot.Core.Messaging;

namespace TipBot.Channels.Tests.Zalo;

public class ChannelCapabilitiesTests
{
    private static readonly ChannelCapabilities Small = new(TextLimit: 50, MaxButtons: 2, ButtonLabelLength: 8, CanEditMessages: false, ReplyWindow: TimeSpan.FromDays(7));

    [Fact]
    public void Choices_within_the_limit_stay_buttons_with_shortened_labels()
    {
        var rendered = Small.Render(new Reply("Khi nào?", [new Button("Hôm nay", "time:today"), new Button("Không nhớ rõ lắm", "time:unknown")]));

        Assert.Equal(["Khi nào?"], rendered.Parts);
        Assert.Equal([new Button("Hôm nay", "time:today"), new Button("Không n…", "time:unknown")], rendered.Buttons);
    }

    [Fact]
    public void Choices_beyond_the_limit_become_numbered_lines_and_no_buttons()
    {
        var rendered = Small.Render(new Reply("Khi nào?", [new Button("Hôm nay", "a:1"), new Button("Hôm qua", "a:2"), new Button("Trước đó", "a:3")]));

        Assert.Empty(rendered.Buttons);
        Assert.Equal("Khi nào?\n\n1. Hôm nay\n2. Hôm qua\n3. Trước đó", string.Join("\n", rendered.Parts));
    }

    [Fact]
    public void A_shortened_label_never_splits_a_surrogate_pair_or_a_combining_sequence()
    {
        // "Cảnh" with a combining hook above (NFD), then an emoji: a cut at 5 would fall inside either.
        var label = "Ca\u0309nh🚨🚨 báo";

        for (var limit = 2; limit < label.Length; limit++)
        {
            var shortened = ChannelCapabilities.Shorten(label, limit);
            Assert.True(shortened.Length <= limit, $"{limit}: {shortened}");
            Assert.False(shortened.Length >= 2 && char.IsHighSurrogate(shortened[^2]) && shortened[^1] == '…', $"{limit}: {shortened}");
            Assert.DoesNotContain("a…", shortened.Replace("Ca\u0309", ""), StringComparison.Ordinal);
        }
    }
}

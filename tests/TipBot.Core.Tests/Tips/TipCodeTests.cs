using System.Text.RegularExpressions;
using TipBot.Core.Tips;

namespace TipBot.Core.Tests;

public class TipCodeTests
{
    private static readonly Regex Crockford = new("^TB-[0-9A-HJKMNP-TV-Z]{6}$", RegexOptions.CultureInvariant);

    [Fact]
    public void New_codes_are_prefix_hyphen_and_six_Crockford_characters()
    {
        for (var i = 0; i < 2000; i++)
        {
            var code = TipCode.New("TB");
            Assert.Matches(Crockford, code);
            Assert.True(TipCode.TryParse(code.ToLowerInvariant(), "TB", out var parsed));
            Assert.Equal(code, parsed);
        }
    }

    [Theory]
    [InlineData("TB-4K7P2M", "TB-4K7P2M")]
    [InlineData("tb-4k7p2m", "TB-4K7P2M")]
    [InlineData("TB 4K7 P2M", "TB-4K7P2M")]
    [InlineData(" tb4k7p2m ", "TB-4K7P2M")]
    [InlineData("TB4K7P2M", "TB-4K7P2M")]
    [InlineData("4K7P2M", "TB-4K7P2M")]
    [InlineData("TB-4K7P2O", "TB-4K7P20")]
    [InlineData("tb-o0o0o0", "TB-000000")]
    [InlineData("TB-I1L1il", "TB-111111")]
    public void TryParse_reads_a_code_as_residents_type_it_with_look_alikes_as_digits(string typed, string expected)
    {
        Assert.True(TipCode.TryParse(typed, "TB", out var code));
        Assert.Equal(expected, code);
    }

    [Theory]
    [InlineData("TB-4K7P2")]
    [InlineData("TB-4K7P2MM")]
    [InlineData("TB-4K7P2U")]
    [InlineData("TB-4K7P2!")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void TryParse_rejects_wrong_length_and_letters_outside_the_alphabet(string? typed)
    {
        Assert.False(TipCode.TryParse(typed, "TB", out var code));
        Assert.Equal("", code);
    }
}

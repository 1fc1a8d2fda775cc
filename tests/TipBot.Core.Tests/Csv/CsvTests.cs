namespace TipBot.Core.Tests;

public class CsvTests
{
    private static List<string[]> Read(string text) => Csv.Read(new StringReader(text)).ToList();

    [Fact]
    public void Quoted_field_keeps_its_commas()
    {
        var rows = Read("20242,\"Phường Hải Châu, Đà Nẵng\",ward\n");
        Assert.Equal(["20242", "Phường Hải Châu, Đà Nẵng", "ward"], Assert.Single(rows));
    }

    [Fact]
    public void Doubled_quotes_inside_a_quoted_field_are_one_quote()
    {
        var rows = Read("1,\"gọi là \"\"đá\"\" hay \"\"ke\"\"\",drugs");
        Assert.Equal(["1", "gọi là \"đá\" hay \"ke\"", "drugs"], Assert.Single(rows));
    }

    [Fact]
    public void Line_breaks_inside_quotes_stay_in_the_field()
    {
        var rows = Read("a,\"dòng 1\ndòng 2\",b\nc,d,e\n");
        Assert.Equal(2, rows.Count);
        Assert.Equal(["a", "dòng 1\ndòng 2", "b"], rows[0]);
        Assert.Equal(["c", "d", "e"], rows[1]);
    }

    [Fact]
    public void CRLF_line_endings_read_like_LF()
    {
        var rows = Read("code,name\r\n48,Đà Nẵng\r\n20242,Hải Châu");
        Assert.Equal(3, rows.Count);
        Assert.Equal(["code", "name"], rows[0]);
        Assert.Equal(["48", "Đà Nẵng"], rows[1]);
        Assert.Equal(["20242", "Hải Châu"], rows[2]);
    }

    [Fact]
    public void Unterminated_quote_throws_FormatException()
    {
        Assert.Throws<FormatException>(() => Read("a,\"never closed\nb,c\n"));
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("")]
    [InlineData("Phường Hoà Khánh, Liên Chiểu")]
    [InlineData("nói \"đá\" là ma túy")]
    [InlineData("\"")]
    [InlineData("dòng 1\ndòng 2")]
    [InlineData("dòng 1\r\ndòng 2")]
    [InlineData(",,,")]
    [InlineData(" leading and trailing ")]
    public void Escape_round_trips_through_Read(string value)
    {
        var line = string.Join(',', Csv.Escape("before"), Csv.Escape(value), Csv.Escape("after")) + "\n";
        var row = Assert.Single(Read(line));
        Assert.Equal(["before", value, "after"], row);
    }
}

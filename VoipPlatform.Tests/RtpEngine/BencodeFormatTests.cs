using System.Text;
using VoipPlatform.RtpEngine.Bencode;

namespace VoipPlatform.Tests.RtpEngine;

public sealed class BencodeFormatTests
{
    private static string Encode(BValue value) => Encoding.UTF8.GetString(BencodeFormat.Encode(value));

    private static BValue Decode(string text) => BencodeFormat.Decode(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void Dictionaries_are_written_with_keys_in_byte_order_and_read_back_equal()
    {
        var value = new BDictionary(new Dictionary<string, BValue>
        {
            ["sdp"] = "v=0",
            ["command"] = "offer",
            ["flags"] = new BList(["trust-address", 42L, new BList([])]),
        });

        string text = Encode(value);

        Assert.Equal("d7:command5:offer5:flagsl13:trust-addressi42elee3:sdp3:v=0e", text);
        var back = Assert.IsType<BDictionary>(Decode(text));
        Assert.Equal("offer", back.Text("command"));
        Assert.Equal(42, Assert.IsType<BInteger>(Assert.IsType<BList>(back["flags"]).Items[1]).Value);
    }

    [Fact]
    public void String_lengths_count_bytes_not_characters()
    {
        Assert.Equal("6:caffè", Encode("caffè")); // five characters, six bytes
        Assert.Equal("caffè", Assert.IsType<BString>(Decode("6:caffè")).Text);
    }

    [Theory]
    [InlineData("i-7e", -7L)]
    [InlineData("i0e", 0L)]
    [InlineData("i9223372036854775807e", long.MaxValue)]
    public void Integers_read_back(string text, long expected) =>
        Assert.Equal(expected, Assert.IsType<BInteger>(Decode(text)).Value);

    [Fact]
    public void Empty_strings_lists_and_dictionaries_are_fine()
    {
        Assert.Empty(Assert.IsType<BString>(Decode("0:")).Bytes);
        Assert.Empty(Assert.IsType<BList>(Decode("le")).Items);
        Assert.Empty(Assert.IsType<BDictionary>(Decode("de")).Entries);
    }

    [Theory]
    [InlineData("i-0e")]      // negative zero
    [InlineData("i03e")]      // leading zero
    [InlineData("ie")]        // no digits
    [InlineData("i12")]       // unterminated
    [InlineData("5:abc")]     // shorter than its length
    [InlineData("li1e")]      // unterminated list
    [InlineData("d1:ae")]     // key without value
    [InlineData("di1ei2ee")]  // integer key
    [InlineData("i1ei2e")]    // trailing value
    [InlineData("x")]         // not bencode
    [InlineData("")]
    public void Malformed_input_is_a_format_error_never_anything_else(string text) =>
        Assert.Throws<FormatException>(() => Decode(text));

    [Fact]
    public void Nesting_deeper_than_the_limit_is_refused() =>
        Assert.Throws<FormatException>(() => Decode(new string('l', BencodeFormat.MaxDepth + 2) + new string('e', BencodeFormat.MaxDepth + 2)));

    [Theory]
    [InlineData("d6:result4:ponge", 16)]
    [InlineData("d6:result4:ponge trailing", 16)]
    [InlineData("d3:sdp12:e:d:l:i:e:xy4:listli1ei22eee", 37)] // bencode syntax inside strings does not count
    [InlineData("4:spam", 6)]
    [InlineData("i-42e", 5)]
    [InlineData("d6:result4:pon", -1)]                    // a reply cut by the stream: wait for more
    [InlineData("d6:result", -1)]
    [InlineData("l", -1)]
    [InlineData("12", -1)]
    public void A_value_is_measured_to_its_end_or_reported_incomplete(string input, int expected) =>
        Assert.Equal(expected, BencodeFormat.MeasureValue(System.Text.Encoding.ASCII.GetBytes(input)));

    [Theory]
    [InlineData("e")]
    [InlineData("x")]
    [InlineData("1234567890123:x")]
    public void Bytes_that_cannot_start_a_value_are_refused_when_measured(string input) =>
        Assert.Throws<FormatException>(() => BencodeFormat.MeasureValue(System.Text.Encoding.ASCII.GetBytes(input)));
}

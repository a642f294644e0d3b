using System.Text;
using VoipPlatform.Sip.Parsing;

namespace VoipPlatform.Tests.Sip.Parsing;

public class HeaderNamesTests
{
    [Theory]
    [InlineData("Via", HeaderKind.Via)]
    [InlineData("v", HeaderKind.Via)]
    [InlineData("VIA", HeaderKind.Via)]
    [InlineData("f", HeaderKind.From)]
    [InlineData("t", HeaderKind.To)]
    [InlineData("i", HeaderKind.CallId)]
    [InlineData("call-id", HeaderKind.CallId)]
    [InlineData("m", HeaderKind.Contact)]
    [InlineData("l", HeaderKind.ContentLength)]
    [InlineData("c", HeaderKind.ContentType)]
    [InlineData("Record-Route", HeaderKind.RecordRoute)]
    [InlineData("max-forwards", HeaderKind.MaxForwards)]
    [InlineData("X-VP-Traceparent", HeaderKind.TraceParent)]
    [InlineData("X-Custom", HeaderKind.Other)]
    [InlineData("x", HeaderKind.Other)]
    public void Names_and_compact_forms_classify_case_insensitively(string name, HeaderKind expected) =>
        Assert.Equal(expected, HeaderNames.Classify(Encoding.ASCII.GetBytes(name)));
}

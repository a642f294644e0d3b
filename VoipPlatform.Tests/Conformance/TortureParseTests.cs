using VoipPlatform.Sip.Messages;
using VoipPlatform.Sip.Parsing;
using VoipPlatform.Tests.Infrastructure;

namespace VoipPlatform.Tests.Conformance;

/// <summary>RFC 4475 messages through the parser: nothing throws, and every message the RFC calls valid parses.</summary>
public class TortureParseTests
{
    public static TheoryData<string> Files => TortureMessages.FileNames();

    [Theory]
    [MemberData(nameof(Files))]
    public void Parser_never_throws_and_accepts_every_valid_message(string file)
    {
        TortureMessages.Case c = TortureMessages.Get(file);
        SipParseStatus status = SipParser.TryParse(c.Bytes, out SipMessage? message, out string reason);
        message?.Dispose();
        if (c.Parse == "ok")
        {
            Assert.True(status == SipParseStatus.Ok, $"{c}: {c.What}: rejected ({reason})");
        }
    }
}

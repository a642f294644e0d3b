using System.Text;
using VoipPlatform.Sip.Messages;
using VoipPlatform.Sip.Parsing;
using VoipPlatform.Sip.Writing;
using VoipPlatform.Tests.Infrastructure;

namespace VoipPlatform.Tests.Sip.Parsing;

public class SipParserTests
{
    private static SipMessage Parse(string text) => SipSamples.Parse(text);

    private static string Text(SipMessage message, ByteRange range) => Encoding.ASCII.GetString(message[range]);

    private static string Text(ReadOnlySpan<byte> bytes) => Encoding.ASCII.GetString(bytes);

    [Fact]
    public void Invite_with_sdp_exposes_start_line_routing_headers_and_body()
    {
        using SipMessage invite = Parse(SipSamples.InviteWithSdp);

        Assert.True(invite.IsRequest);
        Assert.Equal(SipMethod.Invite, invite.Method);
        Assert.Equal("sip:bob@127.0.0.1:5090", Text(invite, invite.RequestUri));
        Assert.Equal("1-1@127.0.0.1", Text(invite.CallId));
        Assert.Equal(1, invite.CSeqNumber);
        Assert.Equal(SipMethod.Invite, invite.CSeqMethod);
        Assert.Equal(70, invite.MaxForwards);
        Assert.Equal("1SIPpTag001", Text(invite.FromTag));
        Assert.True(invite.ToTag.IsEmpty);
        Assert.Equal(129, invite.Body.Length);
        Assert.StartsWith("v=0\r\n", Text(invite, invite.Body));

        ViaValue via = invite.TopVia;
        Assert.True(via.IsValid);
        Assert.Equal("UDP", Text(via.Transport));
        Assert.Equal("127.0.0.1", Text(via.Host));
        Assert.Equal(5091, via.Port);
        Assert.Equal("z9hG4bK-1-1-0", Text(via.Branch));
        Assert.True(via.HasRfc3261Branch);
        Assert.True(via.HasRport);
        Assert.Equal(0, via.Rport);
    }

    [Fact]
    public void Responses_parse_status_reason_and_each_via_of_a_comma_separated_list()
    {
        using SipMessage ringing = Parse(SipSamples.Ringing);
        Assert.False(ringing.IsRequest);
        Assert.Equal(180, ringing.StatusCode);
        Assert.Equal("Ringing", Text(ringing, ringing.ReasonPhrase));
        Assert.Equal("z9hG4bKvpabc", Text(ringing.TopVia.Branch));
        Assert.Equal("99", Text(ringing.ToTag));

        using SipMessage ok = Parse(SipSamples.Ok);
        Assert.Equal(200, ok.StatusCode);
        Assert.Equal(SipMethod.Invite, ok.CSeqMethod);
        Assert.Equal("v=0\r\ns=-\r\n", Text(ok, ok.Body));
    }

    [Theory]
    [InlineData(SipSamples.Ack, SipMethod.Ack, 1)]
    [InlineData(SipSamples.Bye, SipMethod.Bye, 2)]
    [InlineData(SipSamples.Cancel, SipMethod.Cancel, 1)]
    public void In_dialog_and_cancel_requests_parse(string text, SipMethod method, long cseq)
    {
        using SipMessage request = Parse(text);
        Assert.Equal(method, request.Method);
        Assert.Equal(method, request.CSeqMethod);
        Assert.Equal(cseq, request.CSeqNumber);
        Assert.True(request.Body.IsEmpty);
    }

    [Fact]
    public void Route_list_elements_and_uri_parameters_are_reachable()
    {
        using SipMessage ack = Parse(SipSamples.Ack);
        NameAddress first = NameAddress.Parse(ack.FirstListElement(HeaderKind.Route));
        SipUri uri = SipUri.Parse(first.Uri);
        Assert.True(uri.IsValid);
        Assert.Equal("127.0.0.1", Text(uri.Host));
        Assert.Equal(5060, uri.Port);
        Assert.True(uri.IsLooseRouter);
    }

    [Fact]
    public void Compact_header_names_and_folded_values_are_understood()
    {
        using SipMessage register = Parse(SipSamples.CompactRegisterWithFolding);

        Assert.Equal(SipMethod.Register, register.Method);
        Assert.Equal("reg-1@127.0.0.1", Text(register.CallId));
        Assert.Equal("r1", Text(register.FromTag));
        Assert.Equal("z9hG4bKreg1", Text(register.TopVia.Branch));
        Assert.True(register.Has(HeaderKind.Contact));
        Assert.Equal(0, register.Body.Length);

        HeaderField subject = register.Headers.ToArray().Single(h => Text(register, h.Name) == "Subject");
        Assert.True(subject.Folded);
        // The line break of the fold became whitespace; the value reads as one line.
        Assert.Matches(@"^a subject\s+folded onto two lines$", Text(register, subject.Value));
    }

    [Fact]
    public void Serialized_messages_reparse_to_the_same_meaning()
    {
        foreach (string sample in new[] { SipSamples.InviteWithSdp, SipSamples.Ringing, SipSamples.Ok, SipSamples.Ack, SipSamples.Bye, SipSamples.Cancel, SipSamples.CompactRegisterWithFolding })
        {
            using SipMessage original = Parse(sample);
            using OutgoingMessage bytes = SipSerializer.Serialize(original);
            Assert.Equal(SipParseStatus.Ok, SipParser.TryParse(bytes.Bytes, out SipMessage? again, out _));
            using (again)
            {
                Assert.Equal(original.IsRequest, again!.IsRequest);
                Assert.Equal(original.Method, again.Method);
                Assert.Equal(original.StatusCode, again.StatusCode);
                Assert.Equal(Text(original.CallId), Text(again.CallId));
                Assert.Equal(original.CSeqNumber, again.CSeqNumber);
                Assert.Equal(Text(original.TopVia.Branch), Text(again.TopVia.Branch));
                Assert.Equal(original.HeaderCount, again.HeaderCount);
                Assert.Equal(Text(original, original.Body), Text(again, again.Body));
                for (int i = 0; i < original.HeaderCount; i++)
                {
                    Assert.Equal(original.Headers[i].Kind, again.Headers[i].Kind);
                    Assert.Equal(Text(original, original.Headers[i].Value), Text(again, again.Headers[i].Value));
                }
            }
        }
    }

    [Fact]
    public void Leading_crlfs_are_skipped_and_bare_crlfs_are_keep_alives()
    {
        Assert.Equal(SipParseStatus.KeepAlive, SipParser.TryParse("\r\n\r\n"u8, out _, out _));
        byte[] withLeading = [.. "\r\n\r\n"u8.ToArray(), .. SipSamples.Bytes(SipSamples.Bye)];
        Assert.Equal(SipParseStatus.Ok, SipParser.TryParse(withLeading, out SipMessage? bye, out _));
        bye!.Dispose();
    }

    [Fact]
    public void Body_longer_than_content_length_is_cut_and_shorter_is_refused()
    {
        string longer = SipSamples.Bye.Replace("Content-Length: 0", "Content-Length: 3") + "abcdef";
        using (SipMessage cut = Parse(longer))
        {
            Assert.Equal("abc", Text(cut, cut.Body));
        }

        // Too short a body: a request is kept only to be answered 400 (RFC 3261 section 18.3), a response is dropped.
        string shorter = SipSamples.Bye.Replace("Content-Length: 0", "Content-Length: 50") + "abc";
        using (SipMessage request = Parse(shorter))
        {
            Assert.Equal("Content-Length exceeds the message", request.Defect);
        }
        string shortResponse = SipSamples.Ringing.Replace("Content-Length: 0", "Content-Length: 50") + "abc";
        Assert.Equal(SipParseStatus.Malformed, SipParser.TryParse(SipSamples.Bytes(shortResponse), out _, out string reason));
        Assert.Contains("Content-Length", reason);
    }

    [Theory]
    [InlineData("CSeq: 2 BYE", "CSeq: two BYE", "Bad CSeq")]
    [InlineData("Max-Forwards: 70", "Max-Forwards: seventy", "Bad Max-Forwards")]
    [InlineData("Call-ID: 1-1@127.0.0.1", "Call-ID: ", "Empty Call-ID")]
    [InlineData("BYE sip:bob@127.0.0.1:5090 SIP/2.0", "BYE  SIP/2.0", "Malformed Request-Line")]
    [InlineData("To: <sip:bob@127.0.0.1:5090>;tag=99", "To <sip:bob@127.0.0.1:5090>;tag=99", "Malformed header line")]
    [InlineData("Content-Length: 0", "Content-Length: -1", "Bad Content-Length")]
    public void Flawed_requests_parse_with_a_defect_so_they_can_be_answered_400(string good, string bad, string defect)
    {
        string text = SipSamples.Bye.Replace(good, bad);
        Assert.NotEqual(SipSamples.Bye, text);
        using SipMessage request = Parse(text);
        Assert.Equal(defect, request.Defect);
    }

    [Theory]
    [InlineData("CSeq: 1 INVITE", "CSeq: one INVITE")]
    [InlineData("CSeq: 1 INVITE", "CSeq: 1 INVITE\nCSeq: 2 INVITE")]
    [InlineData("SIP/2.0 180 Ringing", "SIP/2.0 1800 Ringing")]
    [InlineData("SIP/2.0 180 Ringing", "SIP/3.0 180 Ringing")]
    [InlineData("To: <sip:bob@127.0.0.1:5090>;tag=99", "To <sip:bob@127.0.0.1:5090>;tag=99")]
    [InlineData("Content-Length: 0", "Content-Length: 40")]
    public void Flawed_responses_are_rejected_not_thrown(string good, string bad)
    {
        string text = SipSamples.Ringing.Replace(good, bad);
        Assert.NotEqual(SipSamples.Ringing, text);
        Assert.Equal(SipParseStatus.Malformed, SipParser.TryParse(SipSamples.Bytes(text), out SipMessage? message, out _));
        Assert.Null(message);
    }

    [Theory]
    [InlineData("CSeq: 2 BYE", "CSeq: 2 BYE\nCSeq: 3 BYE", "Multiple CSeq values")]
    [InlineData("Call-ID: 1-1@127.0.0.1", "Call-ID: 1-1@127.0.0.1\ni: other@127.0.0.1", "Multiple Call-ID values")]
    [InlineData("Content-Length: 0", "Content-Length: 0\nl: 5", "Conflicting Content-Length values")]
    public void Contradictory_single_value_headers_parse_but_carry_a_defect_to_answer_400(string good, string bad, string defect)
    {
        using SipMessage request = Parse(SipSamples.Bye.Replace(good, bad));
        Assert.Equal(defect, request.Defect);
        using SipMessage sound = Parse(SipSamples.Bye);
        Assert.Null(sound.Defect);
    }

    [Fact]
    public void Unknown_sip_version_parses_but_is_flagged_for_505()
    {
        using SipMessage request = Parse(SipSamples.Bye.Replace("SIP/2.0\n", "SIP/7.0\n"));
        Assert.False(request.IsSupportedVersion);
    }

    [Fact]
    public void Every_truncation_of_a_real_message_is_handled_without_exceptions()
    {
        foreach (string sample in new[] { SipSamples.InviteWithSdp, SipSamples.Ok })
        {
            byte[] bytes = SipSamples.Bytes(sample);
            using SipMessage whole = Parse(sample);
            for (int length = 0; length < bytes.Length; length++)
            {
                SipParseStatus status = SipParser.TryParse(bytes.AsSpan(0, length), out SipMessage? message, out _);
                // A cut message is refused, parsed with a defect (a request, to be answered 400), or - cut at a line
                // end before the blank line - parsed with the headers it has (UDP allows no more): never as the whole.
                Assert.True(status != SipParseStatus.Ok || message!.Defect is not null || message.HeaderCount < whole.HeaderCount,
                    $"truncated at {length} parsed as complete");
                message?.Dispose();
            }
        }
    }
}

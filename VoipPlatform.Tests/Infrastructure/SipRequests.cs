using System.Net;

namespace VoipPlatform.Tests.Infrastructure;

/// <summary>Hand-written requests for tests that send raw SIP.</summary>
public static class SipRequests
{
    /// <summary>An out-of-dialog INVITE from <c>alice@<paramref name="fromDomain"/></c> to <c>bob@<paramref name="fromDomain"/></c>, answerable at <paramref name="self"/>.</summary>
    public static string Invite(IPEndPoint self, string fromDomain) => $"""
        INVITE sip:bob@{fromDomain} SIP/2.0
        Via: SIP/2.0/UDP {self};branch=z9hG4bK-{Guid.NewGuid():N};rport
        From: <sip:alice@{fromDomain}>;tag={Guid.NewGuid():N}
        To: <sip:bob@{fromDomain}>
        Call-ID: {Guid.NewGuid():N}@{self.Address}
        CSeq: 1 INVITE
        Contact: <sip:alice@{self}>
        Max-Forwards: 70
        Content-Length: 0


        """;
}

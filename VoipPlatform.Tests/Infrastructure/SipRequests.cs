using System.Net;

namespace VoipPlatform.Tests.Infrastructure;

/// <summary>Hand-written requests and answers for tests that send raw SIP.</summary>
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

    /// <summary>
    /// Answers a request the way a UAS or next hop would: its Vias, From, Call-ID, CSeq and Record-Route copied, a To
    /// tag added when it has none.
    /// </summary>
    public static string Answer(string request, string statusLine, string tag = "b2")
    {
        string[] lines = request.Split("\r\n");
        IEnumerable<string> copied = lines.Where(l => l.StartsWith("Via:") || l.StartsWith("From:") || l.StartsWith("Call-ID:") || l.StartsWith("CSeq:") || l.StartsWith("Record-Route:"));
        string to = lines.Single(l => l.StartsWith("To:"));
        if (!to.Contains("tag=")) to += ";tag=" + tag;
        return $"SIP/2.0 {statusLine}\r\n{string.Join("\r\n", copied)}\r\n{to}\r\nContent-Length: 0\r\n\r\n";
    }

    /// <summary>The value of the first header named <paramref name="name"/> (full names only).</summary>
    public static string Header(string message, string name) =>
        message.Split("\r\n").First(line => line.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))[(name.Length + 1)..].Trim();

    /// <summary>Every Record-Route URI of a message, in order, without angle brackets.</summary>
    public static string[] RecordRoutes(string message) =>
        message.Split("\r\n").Where(line => line.StartsWith("Record-Route:", StringComparison.OrdinalIgnoreCase))
            .SelectMany(line => line["Record-Route:".Length..].Split(','))
            .Select(entry => entry.Trim().Trim('<', '>')).ToArray();
}

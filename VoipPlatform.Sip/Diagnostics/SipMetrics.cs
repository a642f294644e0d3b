using System.Diagnostics.Metrics;

namespace VoipPlatform.Sip.Diagnostics;

/// <summary>The SIP core's counters, on <see cref="SipTelemetry.Meter"/>.</summary>
internal static class SipMetrics
{
    public static readonly Counter<long> MessagesReceived = SipTelemetry.Meter.CreateCounter<long>("sip.messages.received", description: "SIP datagrams received");
    public static readonly Counter<long> MessagesSent = SipTelemetry.Meter.CreateCounter<long>("sip.messages.sent", description: "SIP datagrams sent");
    public static readonly Counter<long> MessagesDropped = SipTelemetry.Meter.CreateCounter<long>("sip.messages.dropped", description: "SIP messages dropped (malformed, overload, unroutable response)");
    public static readonly Counter<long> EgressDenied = SipTelemetry.Meter.CreateCounter<long>("sip.egress.denied", description: "Sends refused by the egress allow-list");
    public static readonly Counter<long> RetransmissionsAbsorbed = SipTelemetry.Meter.CreateCounter<long>("sip.retransmissions.absorbed", description: "Request retransmissions answered from transaction state instead of forwarded");
    public static readonly Counter<long> OverloadRejected = SipTelemetry.Meter.CreateCounter<long>("sip.overload.rejected", description: "New requests answered 503 because the worker was overloaded");
    public static readonly UpDownCounter<long> ActiveTransactions = SipTelemetry.Meter.CreateUpDownCounter<long>("sip.transactions.active", description: "Server and client transactions in memory");
    public static readonly UpDownCounter<long> ActiveDialogs = SipTelemetry.Meter.CreateUpDownCounter<long>("sip.dialogs.active", description: "Calls established through this hop and not yet ended (BYE or dialog timeout)");
}

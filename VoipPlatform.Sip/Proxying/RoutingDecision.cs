using System.Net;

namespace VoipPlatform.Sip.Proxying;

/// <summary>A routing policy's answer: forward to a destination, or answer with a final status.</summary>
public readonly record struct RoutingDecision
{
    private RoutingDecision(IPEndPoint? destination, int status, string? reason)
    {
        Destination = destination;
        Status = status;
        Reason = reason;
    }

    /// <summary>Where to forward; null when the request is answered instead.</summary>
    public IPEndPoint? Destination { get; }

    /// <summary>The final status to answer with when not forwarding.</summary>
    public int Status { get; }

    /// <summary>Reason phrase for <see cref="Status"/>, or null for the standard one.</summary>
    public string? Reason { get; }

    /// <summary>Forward the request to <paramref name="destination"/>.</summary>
    public static RoutingDecision Forward(IPEndPoint destination) => new(destination, 0, null);

    /// <summary>Answer the request with a final response.</summary>
    public static RoutingDecision Reject(int status, string? reason = null) => new(null, status, reason);
}

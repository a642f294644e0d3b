using System.Net;

namespace VoipPlatform.ServiceDefaults.Discovery;

/// <summary>The Consul agent answered a request with a non-success status; carries the status and Consul's reason.</summary>
internal sealed class ConsulApiException(string request, HttpStatusCode statusCode, string body)
    : Exception($"Consul answered {request} with {(int)statusCode} {statusCode}: {(body.Length == 0 ? "(no body)" : body)}")
{
    /// <summary>The HTTP status Consul answered with.</summary>
    public HttpStatusCode StatusCode { get; } = statusCode;

    /// <summary>Consul's response body: a plain-text reason such as <c>Unknown check ID "service:x"</c>.</summary>
    public string Body { get; } = body;
}

using System.Text.Json.Serialization;

namespace VoipPlatform.Contracts.Routing;

/// <summary>What a branch of a <see cref="RouteStep"/> rings.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RouteTargetKind>))]
public enum RouteTargetKind
{
    /// <summary>Every device registered for <see cref="RouteTarget.User"/>@<see cref="RouteTarget.Domain"/>, in parallel.</summary>
    User,

    /// <summary>An application run by the application layer (Asterisk), told what to do by <see cref="ApplicationHeaders"/>.</summary>
    Application,

    /// <summary>An external SIP URI (<see cref="RouteTarget.Uri"/>).</summary>
    Uri,
}

/// <summary>One target of a <see cref="RouteStep"/>.</summary>
/// <param name="Kind">What is rung.</param>
/// <param name="User">User part, for <see cref="RouteTargetKind.User"/>.</param>
/// <param name="Domain">Domain, for <see cref="RouteTargetKind.User"/>.</param>
/// <param name="Application">Application name (see <see cref="ApplicationNames"/>), for <see cref="RouteTargetKind.Application"/>.</param>
/// <param name="Parameters">
/// Instructions for the application (see <see cref="ApplicationParameters"/>); the router sends each as an
/// <c>X-VP-App-&lt;Name&gt;</c> header.
/// </param>
/// <param name="Uri">The SIP URI, for <see cref="RouteTargetKind.Uri"/>.</param>
public sealed record RouteTarget(
    RouteTargetKind Kind,
    string? User = null,
    string? Domain = null,
    string? Application = null,
    IReadOnlyDictionary<string, string>? Parameters = null,
    string? Uri = null)
{
    /// <summary>All registered devices of a user.</summary>
    public static RouteTarget ForUser(string user, string domain) => new(RouteTargetKind.User, user, domain);

    /// <summary>An application with its instructions.</summary>
    public static RouteTarget ForApplication(string application, IReadOnlyDictionary<string, string> parameters) =>
        new(RouteTargetKind.Application, Application: application, Parameters: parameters);

    /// <summary>An external SIP URI.</summary>
    public static RouteTarget ForUri(string uri) => new(RouteTargetKind.Uri, Uri: uri);
}

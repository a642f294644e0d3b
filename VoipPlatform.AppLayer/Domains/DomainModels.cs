namespace VoipPlatform.AppLayer.Domains;

/// <summary>A SIP domain (realm) the platform serves.</summary>
/// <param name="Name">Lower-case host name or IPv4 literal, e.g. <c>voip.local</c>.</param>
/// <param name="Description">Free text for operators.</param>
/// <param name="CreatedAt">When the domain was created.</param>
public sealed record DomainResponse(string Name, string? Description, DateTimeOffset CreatedAt);

/// <summary>Body of <c>POST /v1/domains</c>.</summary>
/// <param name="Name">Host name or IPv4 literal; stored lower-case.</param>
/// <param name="Description">Optional free text.</param>
public sealed record CreateDomainRequest(string? Name, string? Description);

/// <summary>Body of <c>PUT /v1/domains/{domain}</c>: the only mutable property of a domain.</summary>
public sealed record UpdateDomainRequest(string? Description);

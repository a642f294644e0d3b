using System.Text.Json.Serialization;

namespace VoipPlatform.ServiceDefaults.Discovery;

// Wire types of Consul's agent HTTP API, with Consul's own (PascalCase) field names: they are serialized with
// System.Text.Json's default naming, which keeps property names as written.

/// <summary>Body of <c>PUT /v1/agent/service/register</c>: one service instance and its TTL check.</summary>
internal sealed record ConsulServiceRegistration
{
    [JsonPropertyName("ID")]
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required string Address { get; init; }

    /// <summary>Left out when 0: a service without a port (Consul then answers SRV with port 0).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int Port { get; init; }

    public required IReadOnlyList<string> Tags { get; init; }

    public required IReadOnlyDictionary<string, string> Meta { get; init; }

    public required ConsulWeights Weights { get; init; }

    public required ConsulTtlCheck Check { get; init; }
}

/// <summary>SRV weights by check status.</summary>
internal sealed record ConsulWeights(int Passing, int Warning);

/// <summary>A check the service itself keeps alive through <c>PUT /v1/agent/check/update/:check_id</c>.</summary>
internal sealed record ConsulTtlCheck
{
    [JsonPropertyName("CheckID")]
    public required string CheckId { get; init; }

    public required string Name { get; init; }

    /// <summary>Go duration, e.g. <c>10s</c>.</summary>
    [JsonPropertyName("TTL")]
    public required string Ttl { get; init; }

    /// <summary>Go duration, e.g. <c>60s</c>.</summary>
    public required string DeregisterCriticalServiceAfter { get; init; }

    /// <summary>Initial status; without it Consul starts a TTL check as critical.</summary>
    public required string Status { get; init; }

    public string? Output { get; init; }
}

/// <summary>Body of <c>PUT /v1/agent/check/update/:check_id</c>: sets the status and restarts the TTL clock.</summary>
internal sealed record ConsulCheckUpdate(string Status, string Output);

/// <summary>Check status values Consul accepts.</summary>
internal static class ConsulCheckStatus
{
    public const string Passing = "passing";
    public const string Warning = "warning";
    public const string Critical = "critical";
}

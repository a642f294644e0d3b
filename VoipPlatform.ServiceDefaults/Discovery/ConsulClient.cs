using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace VoipPlatform.ServiceDefaults.Discovery;

/// <summary>
/// The few calls of the local Consul agent's HTTP API a service needs to list itself: register, keep its TTL check
/// alive, enter maintenance and deregister. Typed client over <see cref="HttpClient"/> (no Consul NuGet package is
/// available).
/// </summary>
/// <remarks>
/// Takes a client from the factory per call rather than holding one: this is a singleton, and a held client would
/// keep its handler (and the agent address it resolved) for the life of the process.
/// </remarks>
internal sealed class ConsulClient(IHttpClientFactory httpClients)
{
    /// <summary>Name of the <see cref="HttpClient"/> whose base address is the agent.</summary>
    public const string HttpClientName = "consul-agent";

    /// <summary>Paths of Consul's agent API, relative to the agent address.</summary>
    internal static class Paths
    {
        public const string Register = "v1/agent/service/register";
        public const string CheckUpdate = "v1/agent/check/update/";
        public const string Maintenance = "v1/agent/service/maintenance/";
        public const string Deregister = "v1/agent/service/deregister/";
        public const string EnableQuery = "enable";
        public const string ReasonQuery = "reason";
    }

    // Consul's field names are PascalCase: keep property names as written, leave unset optionals out.
    private static readonly JsonSerializerOptions Json = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Adds or replaces (same ID) the service instance and its check.</summary>
    public Task RegisterAsync(ConsulServiceRegistration registration, CancellationToken cancellationToken) =>
        PutAsync(Paths.Register, JsonContent.Create(registration, options: Json), cancellationToken);

    /// <summary>Sets a TTL check's status and restarts its clock.</summary>
    public Task UpdateCheckAsync(string checkId, ConsulCheckUpdate update, CancellationToken cancellationToken) =>
        PutAsync(Paths.CheckUpdate + Uri.EscapeDataString(checkId), JsonContent.Create(update, options: Json), cancellationToken);

    /// <summary>Takes the instance out of DNS and API answers at once, while it keeps running.</summary>
    public Task EnableMaintenanceAsync(string serviceId, string reason, CancellationToken cancellationToken) =>
        PutAsync(
            $"{Paths.Maintenance}{Uri.EscapeDataString(serviceId)}?{Paths.EnableQuery}=true&{Paths.ReasonQuery}={Uri.EscapeDataString(reason)}",
            content: null,
            cancellationToken);

    /// <summary>Removes the instance and its check from the agent (and, through it, from the catalog).</summary>
    public Task DeregisterAsync(string serviceId, CancellationToken cancellationToken) =>
        PutAsync(Paths.Deregister + Uri.EscapeDataString(serviceId), content: null, cancellationToken);

    private async Task PutAsync(string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var http = httpClients.CreateClient(HttpClientName);
        using (content)
        using (var response = await http.PutAsync(path, content, cancellationToken).ConfigureAwait(false))
        {
            if (response.IsSuccessStatusCode) return;
            string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new ConsulApiException($"PUT /{path}", response.StatusCode, body.Trim());
        }
    }
}

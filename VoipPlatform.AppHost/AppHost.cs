using VoipPlatform.AppHost.Hosting;
using VoipPlatform.AppHost.Publishing;

var builder = DistributedApplication.CreateBuilder(args);

// Containers only when a runtime answers; otherwise local executables and a smaller platform.
var runtime = await builder.DetectContainerRuntimeAsync();

// Backing services.
var redis = builder.AddPlatformRedis("redis", runtime);
var asterisk = builder.AddContainerOnlyAsterisk(runtime, "asterisk");

// Service registry: every service below registers itself; without it, next hops come from Aspire's endpoints.
var consul = builder.AddPlatformConsul("consul", runtime);

// Business logic API (SIP -> JSON -> API).
var applayer = builder.AddProject<Projects.VoipPlatform_AppLayer>("applayer")
    .WithReferenceIfPresent(redis)
    .WithDemoData()
    .WithConsulRegistration(consul, ConsulServiceNames.AppLayer, PlatformEndpoints.Http)
    .WithHttpHealthCheck("/health");
asterisk.WithApplicationLayerSettings(applayer, consul);

// Media: the agent launches and supervises RTPEngine; others reach RTPEngine through the agent's ng endpoint.
var mediaagent = builder.AddMediaAgent("mediaagent")
    .WithConsulRegistration(consul, ConsulServiceNames.Media, PlatformEndpoints.Http)
    .WithMediaConsulMeta(consul)
    .WithHttpHealthCheck("/health");

// Routing layer: two stateless replicas; registrations in Redis, decisions from the logic API.
var nonceSecret = builder.AddNonceSecret();
var router = builder.AddRouter("router", PlatformPorts.RouterSip, applayer, redis, nonceSecret, asterisk)
    .WithConsulRegistration(consul, ConsulServiceNames.Router, PlatformEndpoints.Sip);
var router2 = builder.AddRouter("router2", PlatformPorts.RouterSip2, applayer, redis, nonceSecret, asterisk)
    .WithConsulRegistration(consul, ConsulServiceNames.Router, PlatformEndpoints.Sip);

// Edge proxy: the only SIP ingress, forwards to the routers, anchors call media in RTPEngine.
builder.AddProject<Projects.VoipPlatform_Proxy>("proxy")
    .WithSipEndpoint(PlatformPorts.ProxySip)
    .WithSipWebSocketEndpoint(PlatformPorts.ProxySipWebSocket)
    .WithRouters(router, router2)
    .WithRoutersFromConsul(consul)
    .WithMediaBridging(mediaagent)
    .WithConsulRegistration(consul, ConsulServiceNames.Proxy, PlatformEndpoints.Sip)
    .WithHttpHealthCheck("/health");

// Production: `aspire publish` writes a Helm chart and plain manifests (docs/kubernetes.md).
builder.AddKubernetesPublishing();

builder.Build().Run();

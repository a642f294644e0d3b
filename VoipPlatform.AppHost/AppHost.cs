using VoipPlatform.AppHost.Hosting;

var builder = DistributedApplication.CreateBuilder(args);

// Containers only when a runtime answers; otherwise local executables and a smaller platform.
var runtime = await builder.DetectContainerRuntimeAsync();

// Backing services.
var redis = builder.AddPlatformRedis("redis", runtime);
var rtpengine = builder.AddRtpEngine("rtpengine", runtime);
var (consul, asterisk) = builder.AddContainerOnlyResources(runtime, consulName: "consul", asteriskName: "asterisk");

// Business logic API (SIP -> JSON -> API).
var applayer = builder.AddProject<Projects.VoipPlatform_AppLayer>("applayer")
    .WithReferenceIfPresent(redis)
    .WithDemoData()
    .WithEndpointReferenceIfPresent(consul, PlatformEndpoints.Http)
    .WithHttpHealthCheck("/health");

// Media supervisor beside RTPEngine.
builder.AddProject<Projects.VoipPlatform_MediaAgent>("mediaagent")
    .WithRtpEngine(rtpengine)
    .WithEndpointReferenceIfPresent(consul, PlatformEndpoints.Http)
    .WithHttpHealthCheck("/health");

// Routing layer: two stateless replicas; registrations in Redis, decisions from the logic API.
var nonceSecret = builder.AddNonceSecret();
var router = builder.AddRouter("router", PlatformPorts.RouterSip, applayer, redis, nonceSecret, asterisk)
    .WithEndpointReferenceIfPresent(consul, PlatformEndpoints.Http);
var router2 = builder.AddRouter("router2", PlatformPorts.RouterSip2, applayer, redis, nonceSecret, asterisk)
    .WithEndpointReferenceIfPresent(consul, PlatformEndpoints.Http);

// Edge proxy: the only SIP ingress, forwards to the routers.
builder.AddProject<Projects.VoipPlatform_Proxy>("proxy")
    .WithSipEndpoint(PlatformPorts.ProxySip)
    .WithRouters(router, router2)
    .WithEndpointReferenceIfPresent(consul, PlatformEndpoints.Http)
    .WithHttpHealthCheck("/health");

builder.Build().Run();

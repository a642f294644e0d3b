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
    .WithEndpointReferenceIfPresent(consul, PlatformEndpoints.Http)
    .WithHttpHealthCheck("/health");

// Media supervisor beside RTPEngine.
builder.AddProject<Projects.VoipPlatform_MediaAgent>("mediaagent")
    .WithRtpEngine(rtpengine)
    .WithEndpointReferenceIfPresent(consul, PlatformEndpoints.Http)
    .WithHttpHealthCheck("/health");

// Routing layer: asks the logic API, sends application calls to Asterisk.
var router = builder.AddProject<Projects.VoipPlatform_Router>("router")
    .WithSipEndpoint(PlatformPorts.RouterSip)
    .WithReference(applayer)
    .WithEndpointReferenceIfPresent(asterisk, PlatformEndpoints.Sip)
    .WithEndpointReferenceIfPresent(consul, PlatformEndpoints.Http)
    .WithHttpHealthCheck("/health");

// Edge proxy: the only SIP ingress, forwards to the routers.
builder.AddProject<Projects.VoipPlatform_Proxy>("proxy")
    .WithSipEndpoint(PlatformPorts.ProxySip)
    .WithReference(router.GetEndpoint(PlatformEndpoints.Sip))
    .WithEndpointReferenceIfPresent(consul, PlatformEndpoints.Http)
    .WithHttpHealthCheck("/health");

builder.Build().Run();

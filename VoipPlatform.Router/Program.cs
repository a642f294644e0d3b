using VoipPlatform.Router.Authentication;
using VoipPlatform.Router.Configuration;
using VoipPlatform.Router.Decisions;
using VoipPlatform.Router.Registrar;
using VoipPlatform.Router.Routing;
using VoipPlatform.Sip.Authentication;
using VoipPlatform.Sip.Hosting;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
// Registrations live in Redis ("redis" connection string from the AppHost): every replica sees them. Its I/O runs
// on the thread pool rather than the client's own ten threads, which spun for a sixth of the router's CPU.
// Commands are traced only when traces are exported (the instrumentation otherwise drained a profiling session per command).
builder.AddRedisClient("redis", settings => settings.DisableTracing |= !builder.ExportsTelemetry(),
    redis => redis.SocketManager = StackExchange.Redis.SocketManager.ThreadPool);
builder.Services.AddOptions<RouterOptions>()
    .Bind(builder.Configuration.GetSection(RouterOptions.SectionName))
    .Validate(o => o.MinExpiresSeconds > 0 && o.MaxExpiresSeconds >= o.MinExpiresSeconds, "Router: MinExpiresSeconds must be positive and at most MaxExpiresSeconds.")
    .Validate(o => o.TrustedSources.All(n => System.Net.IPNetwork.TryParse(n, out _)), "Router:TrustedSources must be CIDR networks.")
    .Validate(o => o.DecisionCacheTime >= TimeSpan.Zero && o.DirectoryCacheTime >= TimeSpan.Zero, "Router: DecisionCacheTime and DirectoryCacheTime may not be negative.")
    .Validate(o => o.DecisionCacheEntries > 0, "Router:DecisionCacheEntries must be positive.")
    .ValidateOnStart();
builder.Services.AddOptions<DigestOptions>().Bind(builder.Configuration.GetSection(DigestOptions.SectionName));
builder.Services.AddSingleton<DigestAuthenticator>();
builder.Services.AddBusinessApiClient(builder.Configuration);
builder.Services.AddSingleton<RequestAuthenticator>();
builder.Services.AddSingleton<RegistrationStore>();
builder.Services.AddSingleton<RegisterHandler>();
builder.Services.AddNextHops(builder.Configuration);
builder.Services.AddSingleton<ApplicationServers>();
builder.Services.AddSingleton<PlanExecutor>();
builder.Services.AddSingleton<CallHandler>();
builder.Services.AddSipProxy<PlatformRequestRouter>(builder.Configuration);

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();

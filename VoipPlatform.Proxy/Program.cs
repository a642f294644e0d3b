using VoipPlatform.Proxy.Media;
using VoipPlatform.Proxy.Routing;
using VoipPlatform.Sip.Hosting;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.Services.Configure<EdgeRoutingOptions>(builder.Configuration.GetSection(EdgeRoutingOptions.SectionName));
builder.Services.AddNextHops(builder.Configuration);
builder.Services.AddSingleton<RouterSet>();
builder.Services.AddMediaBridging(builder.Configuration);
builder.Services.AddSipProxy<EdgeRequestRouter>(builder.Configuration);

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();

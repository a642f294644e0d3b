using VoipPlatform.Proxy.Routing;
using VoipPlatform.Sip.Hosting;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.Services.Configure<EdgeRoutingOptions>(builder.Configuration.GetSection(EdgeRoutingOptions.SectionName));
builder.Services.AddRouterSet(builder.Configuration);
builder.Services.AddSipProxy<EdgeRequestRouter>(builder.Configuration);

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();

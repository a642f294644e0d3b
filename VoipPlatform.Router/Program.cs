using VoipPlatform.Router.Routing;
using VoipPlatform.Sip.Hosting;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.Services.AddSipProxy<RequestUriRouter>(builder.Configuration);

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();

using VoipPlatform.MediaAgent.RtpEngine;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddRtpEngineSupervision();

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();

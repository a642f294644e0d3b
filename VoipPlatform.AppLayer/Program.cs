using VoipPlatform.AppLayer;

AppLayerApplication.Build(args).Run();

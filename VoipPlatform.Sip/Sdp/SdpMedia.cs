namespace VoipPlatform.Sip.Sdp;

/// <summary>One <c>m=</c> section: media type, port, transport and formats, and its own <c>c=</c> if any.</summary>
/// <param name="Type">audio, video, ...</param>
/// <param name="Port">The transport port (0 = stream rejected or disabled).</param>
/// <param name="Protocol">RTP/AVP, RTP/SAVP, UDP/TLS/RTP/SAVPF, ...</param>
/// <param name="Formats">The format list as written (payload types).</param>
/// <param name="ConnectionAddress">The media-level connection address, or null when the session-level one applies.</param>
public sealed record SdpMedia(string Type, int Port, string Protocol, string Formats, string? ConnectionAddress);

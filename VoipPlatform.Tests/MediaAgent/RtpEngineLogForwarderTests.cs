using Microsoft.Extensions.Logging;
using VoipPlatform.MediaAgent.RtpEngine;

namespace VoipPlatform.Tests.MediaAgent;

/// <summary>RTPEngine's stderr lines keep their severity in the agent's log.</summary>
public sealed class RtpEngineLogForwarderTests
{
    [Theory]
    [InlineData("[1795706509.318317] INFO: [core] Startup complete, version 10.5.3.5-1+deb12u1", LogLevel.Information)]
    [InlineData("[1795706509.318317] NOTICE: [core] Shutting down", LogLevel.Information)]
    [InlineData("[1795706509.318317] DEBUG: [control] Received command 'ping'", LogLevel.Debug)]
    [InlineData("[1795706509.318317] WARNING: [core] Failed to open kernel table", LogLevel.Warning)]
    [InlineData("[1795706509.318317] ERR: [core] FAILED TO CREATE KERNEL TABLE 0 (No such file or directory), KERNEL FORWARDING DISABLED", LogLevel.Error)]
    [InlineData("[1795706509.318317] CRIT: [core] Userspace fallback disallowed - exiting", LogLevel.Critical)]
    [InlineData("Usage: rtpengine [OPTION...]", LogLevel.Information)]
    [InlineData("[1795706509.318317] no level here", LogLevel.Information)]
    public void Each_line_is_logged_at_the_level_rtpengine_gave_it(string line, LogLevel expected)
    {
        Assert.Equal(expected, RtpEngineLogForwarder.LevelOf(line));
    }
}

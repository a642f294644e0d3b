namespace VoipPlatform.MediaAgent.RtpEngine;

/// <summary>
/// Puts RTPEngine's stderr lines into the agent's log at the level RTPEngine gave them, so its warnings and errors
/// reach the dashboard and log search like the agent's own.
/// </summary>
/// <remarks>RTPEngine writes <c>[timestamp] LEVEL: [subsystem] text</c>; a line without a level is logged as Information.</remarks>
public sealed partial class RtpEngineLogForwarder(ILogger logger)
{
    /// <summary>The log category RTPEngine's own lines appear under.</summary>
    public const string Category = "RTPEngine";

    /// <summary>Logs one stderr line; null (end of stream) and empty lines are ignored.</summary>
    public void Forward(string? line)
    {
        if (string.IsNullOrWhiteSpace(line)) return;
        LogLine(LevelOf(line), line);
    }

    /// <summary>The log level of one RTPEngine line (syslog severities as RTPEngine names them).</summary>
    public static LogLevel LevelOf(string line)
    {
        int afterTimestamp = line.StartsWith('[') ? line.IndexOf("] ", StringComparison.Ordinal) + 2 : 0;
        int colon = afterTimestamp > 1 ? line.IndexOf(':', afterTimestamp) : -1;
        if (colon < 0) return LogLevel.Information;
        return line[afterTimestamp..colon] switch
        {
            "DEBUG" => LogLevel.Debug,
            "INFO" or "NOTICE" => LogLevel.Information,
            "WARNING" or "WARN" => LogLevel.Warning,
            "ERR" or "ERROR" => LogLevel.Error,
            "CRIT" or "ALERT" or "EMERG" => LogLevel.Critical,
            _ => LogLevel.Information,
        };
    }

    [LoggerMessage(Message = "{Line}")]
    private partial void LogLine(LogLevel level, string line);
}

using System.Globalization;
using VoipPlatform.MediaAgent.Kernel;

namespace VoipPlatform.MediaAgent.RtpEngine;

/// <summary>The command line the agent starts RTPEngine with: everything from the agent's options and forwarding plan.</summary>
public static class RtpEngineArguments
{
    /// <summary>
    /// RTPEngine reads <c>/etc/rtpengine/rtpengine.conf</c> unless told otherwise; the Debian one claims table 0 and
    /// fixed CLI and HTTP ports, which would collide with a second relay on the node. The agent passes everything.
    /// </summary>
    public const string NoConfigFile = "--config-file=none";

    /// <summary>Name of the logical interface toward phones and carriers; ng offers pick it with <c>direction</c>.</summary>
    public const string ExternalInterfaceName = "external";

    /// <summary>Name of the logical interface toward the platform's own media servers.</summary>
    public const string InternalInterfaceName = "internal";

    /// <summary>Builds the arguments for <paramref name="plan"/>.</summary>
    public static IReadOnlyList<string> Build(MediaAgentOptions options, ForwardingPlan plan)
    {
        var rtpEngine = options.RtpEngine;
        List<string> arguments =
        [
            NoConfigFile,
            // The first interface is the default for offers that name no direction.
            Interface(ExternalInterfaceName, rtpEngine.ExternalInterface),
            Interface(InternalInterfaceName, rtpEngine.InternalInterface),
            $"--listen-ng={options.NgEndpoint}",
            $"--table={plan.TableId.ToString(CultureInfo.InvariantCulture)}",
            $"--port-min={plan.Ports.Min.ToString(CultureInfo.InvariantCulture)}",
            $"--port-max={plan.Ports.Max.ToString(CultureInfo.InvariantCulture)}",
            // The agent is its supervisor and its log: no daemonising, no syslog.
            "--foreground",
            "--log-stderr",
        ];
        if (plan.IsKernel)
        {
            // RTPEngine would quietly fall back to userspace when it cannot open its table (e.g. another relay won it
            // in the moment RTPEngine re-creates it at start): better to exit, be restarted and show up unhealthy.
            arguments.Add("--no-fallback");
        }
        arguments.AddRange(plan.RuleArguments);
        arguments.AddRange(rtpEngine.ExtraArguments);
        return arguments;
    }

    private static string Interface(string name, RtpEngineInterfaceOptions options) =>
        options.AdvertisedAddress is { Length: > 0 } advertised
            ? $"--interface={name}/{options.Address}!{advertised}"
            : $"--interface={name}/{options.Address}";
}

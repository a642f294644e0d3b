using System.Net;

namespace VoipPlatform.Tests.Infrastructure;

/// <summary>The SIPp scenarios under <c>Scenarios/</c>, with the values they check filled in.</summary>
public static class SippScenarios
{
    /// <summary>
    /// The UAS and UAC scenarios for a call through <paramref name="proxy"/> then one of <paramref name="routers"/>
    /// (any replica may carry a call).
    /// </summary>
    public static (string Uas, string Uac) ThroughHops(IPEndPoint proxy, params IPEndPoint[] routers)
    {
        var values = new Dictionary<string, string>
        {
            ["PROXY_HOSTPORT"] = Escape(proxy),
            ["ROUTER_HOSTPORT"] = routers.Length == 1 ? Escape(routers[0]) : $"({string.Join('|', routers.Select(Escape))})",
        };
        return (Write("uas-through-hops.xml", values), Write("uac-record-route.xml", values));
    }

    /// <summary>REGISTER with digest authentication whose authenticated attempt must get <paramref name="expectedStatus"/>.</summary>
    public static string Register(int expectedStatus) => Write("register.xml", new() { ["EXPECTED_STATUS"] = expectedStatus.ToString() });

    /// <summary>A call that answers the 407 challenge and must then be answered 200.</summary>
    public static string AuthenticatedCall() => Write("uac-authenticated-call.xml", []);

    /// <summary>An application server stand-in that fails the call unless it is told to run <paramref name="application"/> on <paramref name="mailbox"/>.</summary>
    public static string ApplicationStandIn(string application, string mailbox) =>
        ApplicationStandIn(new Dictionary<string, string?> { ["X-VP-App"] = application, ["X-VP-App-Mailbox"] = mailbox });

    /// <summary>
    /// An application server stand-in that fails the call unless every header of <paramref name="headers"/> arrives with
    /// exactly its value; a null value only requires the header and, with <c>-trace_logs</c>, logs <c>Name=value</c>.
    /// </summary>
    public static string ApplicationStandIn(IReadOnlyDictionary<string, string?> headers)
    {
        var checks = new List<string>();
        var variables = new List<string>();
        int i = 0;
        foreach (var (name, value) in headers)
        {
            string variable = $"h{i++}";
            if (value is null)
            {
                checks.Add($"""      <ereg regexp="{name}: ([^[:space:]]+)" search_in="msg" check_it="true" assign_to="{variable}all,{variable}"/>""");
                checks.Add($"""      <log message="{name}=[${variable}]"/>""");
                variables.AddRange([variable + "all", variable]);
            }
            else
            {
                checks.Add($"""      <ereg regexp="{name}: {EscapeRegex(value)}[[:space:]]" search_in="msg" check_it="true" assign_to="{variable}"/>""");
                variables.Add(variable);
            }
        }
        return Write("uas-application.xml", new() { ["INSTRUCTION_CHECKS"] = string.Join('\n', checks), ["INSTRUCTION_VARIABLES"] = string.Join(',', variables) });
    }

    /// <summary>An authenticated call that dials, call after call, the numbers of an injection file (<c>-inf</c>, field 0).</summary>
    public static string AuthenticatedCallFromList() => Write("uac-authenticated-call.xml", new()
    {
        ["[$callee]"] = "[field0]",
        // -set callee is still passed; SIPp refuses a variable it never sees used unless told it is on purpose.
        ["<Global variables=\"domain,callee\"/>"] = "<Global variables=\"domain,callee\"/>\n  <Reference variables=\"callee\"/>",
    });

    /// <summary>A phone that answers 486.</summary>
    public static string Busy() => Write("uas-busy.xml", []);

    /// <summary>A callee that answers and then sends BYE itself, along the route set the Record-Route gave it.</summary>
    public static string HangsUp() => Write("uas-hangs-up.xml", []);

    /// <summary>A phone that rings and must be cancelled.</summary>
    public static string RingingUntilCancelled() => Write("uas-ringing-cancelled.xml", []);

    /// <summary>An authenticated call that sends G.711 RTP once it is up.</summary>
    public static string AuthenticatedCallWithRtp() => Write("uac-authenticated-call-rtp.xml", []);

    /// <summary>An authenticated call whose INVITEs carry no SDP, failing unless the 200's offer port matches <paramref name="relayPortRegex"/>; the ACK answers.</summary>
    public static string LateOfferCall(string relayPortRegex) => Write("uac-late-offer-call.xml", new() { ["RELAY_PORT_REGEX"] = relayPortRegex });

    /// <summary>A late-offer callee (offers in its 200) that fails the call unless the ACK's answer port matches <paramref name="relayPortRegex"/>.</summary>
    public static string LateOfferCallee(string relayPortRegex) => Write("uas-late-offer.xml", new() { ["MEDIA_PORT_REGEX"] = relayPortRegex });

    /// <summary>A callee that fails the call unless its INVITE's SDP port matches <paramref name="relayPortRegex"/> (the media relay's range).</summary>
    public static string MediaCallee(string relayPortRegex) => Write("uas-media.xml", new() { ["MEDIA_PORT_REGEX"] = relayPortRegex });

    /// <summary>
    /// An authenticated call that holds with a re-INVITE and receives an UPDATE, failing unless every SDP it receives
    /// names a port matching <paramref name="relayPortRegex"/> and answers its offer.
    /// </summary>
    public static string ReInviteCall(string relayPortRegex) => Write("uac-reinvite-call.xml", new() { ["RELAY_PORT_REGEX"] = relayPortRegex });

    /// <summary>The callee of <see cref="ReInviteCall"/>: checks the relay in the INVITE, the re-INVITE and the answer to its own UPDATE.</summary>
    public static string ReInviteCallee(string relayPortRegex) => Write("uas-reinvite.xml", new() { ["MEDIA_PORT_REGEX"] = relayPortRegex });

    private static string Write(string name, Dictionary<string, string> values)
    {
        string text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Scenarios", name));
        foreach (var (placeholder, value) in values) text = text.Replace(placeholder, value);
        string path = Path.Combine(Directory.CreateTempSubdirectory("vp-sipp-").FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string Escape(IPEndPoint endPoint) => endPoint.ToString().Replace(".", "\\.");

    /// <summary>A literal for SIPp's POSIX extended regular expressions.</summary>
    private static string EscapeRegex(string value) => System.Text.RegularExpressions.Regex.Replace(value, @"[.\[\]()*+?{}|^$\\]", @"\$0");
}

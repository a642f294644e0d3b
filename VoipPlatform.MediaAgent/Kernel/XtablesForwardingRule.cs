using System.Globalization;
using Microsoft.Extensions.Options;

namespace VoipPlatform.MediaAgent.Kernel;

/// <summary>
/// <c>xt_RTPENGINE</c>: the rule RTPEngine's documentation gives, <c>-p udp -j RTPENGINE --id N</c>, in a chain of its
/// own that <c>INPUT</c> jumps to for UDP (the layout of Debian's <c>rtpengine-iptables-setup</c>), for IPv4 and IPv6.
/// Several relays on one node share the chain and the jump; each adds and removes only its own <c>--id N</c> rule.
/// </summary>
public sealed partial class XtablesForwardingRule(
    ICommandRunner runner,
    IOptions<MediaAgentOptions> options,
    ILogger<XtablesForwardingRule> logger) : IForwardingRule
{
    private const string Iptables = "iptables";
    private const string Ip6tables = "ip6tables";
    private const string InputChain = "INPUT";
    private const string Target = "RTPENGINE";

    /// <inheritdoc />
    public KernelModule Module => KernelModule.Xtables;

    /// <inheritdoc />
    public async Task AddAsync(int tableId, CancellationToken cancellationToken)
    {
        // IPv4 is required: without it no media is kernel-forwarded. IPv6 may be switched off on the node, so a
        // failure there only costs IPv6 media its kernel path.
        await AddForAsync(Iptables, tableId, cancellationToken).ConfigureAwait(false);
        try
        {
            await AddForAsync(Ip6tables, tableId, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException ex)
        {
            LogIpv6Skipped(tableId, ex.Message);
        }
    }

    /// <inheritdoc />
    public async Task RemoveAsync(int tableId, CancellationToken cancellationToken)
    {
        foreach (string tool in new[] { Iptables, Ip6tables })
        {
            var result = await runner.RunAsync(tool, ["-D", Chain, .. TableRule(tableId)], cancellationToken).ConfigureAwait(false);
            if (!result.Succeeded) LogRemoveFailed(tool, tableId, result.Output);
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<string> DaemonArguments(int tableId) => [];

    private string Chain => options.Value.Kernel.IptablesChain;

    private async Task AddForAsync(string tool, int tableId, CancellationToken cancellationToken)
    {
        // Creating the chain fails when another relay created it first: that is the state we want, so no check.
        await runner.RunAsync(tool, ["-N", Chain], cancellationToken).ConfigureAwait(false);
        string[] jump = [InputChain, "-p", "udp", "-j", Chain];
        if (!(await runner.RunAsync(tool, ["-C", .. jump], cancellationToken).ConfigureAwait(false)).Succeeded)
        {
            await RequireAsync(tool, ["-I", .. jump], cancellationToken).ConfigureAwait(false);
        }
        await RequireAsync(tool, ["-I", Chain, .. TableRule(tableId)], cancellationToken).ConfigureAwait(false);
    }

    private async Task RequireAsync(string tool, string[] arguments, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(tool, arguments, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"'{tool} {string.Join(' ', arguments)}' failed with exit code {result.ExitCode}: {result.Output}");
        }
    }

    private static string[] TableRule(int tableId) =>
        ["-p", "udp", "-j", Target, "--id", tableId.ToString(CultureInfo.InvariantCulture)];

    [LoggerMessage(Level = LogLevel.Warning, Message = "No ip6tables rule for kernel table {TableId}: IPv6 media is relayed in userspace. {Reason}")]
    private partial void LogIpv6Skipped(int tableId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removing the {Tool} rule of kernel table {TableId} failed: {Output}")]
    private partial void LogRemoveFailed(string tool, int tableId, string output);
}

using System.Globalization;
using Microsoft.Extensions.Options;

namespace VoipPlatform.MediaAgent.Kernel;

/// <summary>
/// <c>nft_rtpengine</c>: RTPEngine 12 and later manage the nftables rule themselves (a chain per table hooked into a
/// base chain) and offer <c>--nftables-start</c> / <c>--nftables-stop</c> to do the same from a script. The agent runs
/// those with the daemon's own binary and names the chain per table, so relays sharing a node never touch each
/// other's chain, and a rule left behind by a killed daemon is removed when the table is released.
/// </summary>
public sealed partial class NftablesForwardingRule(
    ICommandRunner runner,
    IOptions<MediaAgentOptions> options,
    ILogger<NftablesForwardingRule> logger) : IForwardingRule
{
    /// <summary>The chain name RTPEngine itself picks for table N is <c>rtpengine_N</c>; kept, so tools and docs agree.</summary>
    private const string ChainPrefix = "rtpengine_";

    /// <inheritdoc />
    public KernelModule Module => KernelModule.Nftables;

    /// <inheritdoc />
    public async Task AddAsync(int tableId, CancellationToken cancellationToken)
    {
        var result = await RunAsync("--nftables-start", tableId, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"rtpengine --nftables-start for table {tableId} failed with exit code {result.ExitCode}: {result.Output}");
        }
    }

    /// <inheritdoc />
    public async Task RemoveAsync(int tableId, CancellationToken cancellationToken)
    {
        var result = await RunAsync("--nftables-stop", tableId, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded) LogRemoveFailed(tableId, result.Output);
    }

    /// <inheritdoc />
    public IReadOnlyList<string> DaemonArguments(int tableId) =>
    [
        $"--nftables-chain={ChainPrefix}{tableId.ToString(CultureInfo.InvariantCulture)}",
        $"--nftables-base-chain={options.Value.Kernel.NftablesBaseChain}",
    ];

    private Task<CommandResult> RunAsync(string action, int tableId, CancellationToken cancellationToken) =>
        runner.RunAsync(options.Value.RtpEngine.Executable,
        [
            // Not /etc/rtpengine/rtpengine.conf: its table and chain settings are for a daemon the agent does not run.
            RtpEngine.RtpEngineArguments.NoConfigFile,
            $"--table={tableId.ToString(CultureInfo.InvariantCulture)}",
            .. DaemonArguments(tableId),
            action,
        ], cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removing the nftables rule of kernel table {TableId} failed: {Output}")]
    private partial void LogRemoveFailed(int tableId, string output);
}

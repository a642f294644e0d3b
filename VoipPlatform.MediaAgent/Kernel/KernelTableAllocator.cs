using System.Globalization;
using Microsoft.Extensions.Options;

namespace VoipPlatform.MediaAgent.Kernel;

/// <summary>
/// Claims the first free kernel forwarding table and releases it again. Several media containers on one node share
/// the module's 64 tables; the kernel is the only arbiter: <c>add N</c> succeeds for exactly one writer and is refused
/// for every other while table N exists, so concurrent agents cannot end up with the same id, and no lock file or
/// coordinator is needed. Each id owns a fixed slice of the port range, so their RTP ports are disjoint too.
/// </summary>
public sealed partial class KernelTableAllocator(
    IKernelControlFile controlFile,
    IOptions<MediaAgentOptions> options,
    TimeProvider timeProvider,
    ILogger<KernelTableAllocator> logger)
{
    private const string AddCommand = "add";
    private const string DeleteCommand = "del";

    /// <summary>
    /// How often <c>del</c> is tried: right after RTPEngine exits the kernel may still hold the table for a moment
    /// (EBUSY). RTPEngine's own shutdown scripts retry the same way.
    /// </summary>
    private const int DeleteAttempts = 10;

    private static readonly TimeSpan DeleteRetryDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>The ports of table <paramref name="id"/>: <c>PortBase + id × PortsPerTable</c>, <c>PortsPerTable</c> long.</summary>
    public PortRange PortsOf(int id)
    {
        var kernel = options.Value.Kernel;
        int min = kernel.PortBase + id * kernel.PortsPerTable;
        return new PortRange(min, min + kernel.PortsPerTable - 1);
    }

    /// <summary>Claims the lowest free id from <see cref="KernelForwardingOptions.FirstTableId"/> to <see cref="KernelForwardingOptions.LastTableId"/>.</summary>
    /// <exception cref="InvalidOperationException">Every id is taken: the node has no table left for another relay.</exception>
    /// <exception cref="UnauthorizedAccessException">The agent may not write the control file.</exception>
    public KernelTable Claim()
    {
        var kernel = options.Value.Kernel;
        for (int id = kernel.FirstTableId; id <= kernel.LastTableId; id++)
        {
            try
            {
                controlFile.Write(Command(AddCommand, id));
            }
            catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException)
            {
                // Refused: another relay on this node holds the id. The next one may be free.
                LogTaken(id, ex.Message);
                continue;
            }
            var table = new KernelTable(id, PortsOf(id));
            LogClaimed(id, controlFile.Path, table.Ports);
            return table;
        }
        throw new InvalidOperationException(
            $"Every kernel forwarding table from {kernel.FirstTableId} to {kernel.LastTableId} is taken ({controlFile.Path}): " +
            "no room for another media relay on this node.");
    }

    /// <summary>Deletes the table, so another relay can claim it. Never throws: the agent is stopping anyway.</summary>
    public async Task ReleaseAsync(KernelTable table)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                controlFile.Write(Command(DeleteCommand, table.Id));
                LogReleased(table.Id);
                return;
            }
            catch (FileNotFoundException)
            {
                // Already gone: newer RTPEngines delete their table when they exit, and an unloaded module takes all.
                LogAlreadyReleased(table.Id);
                return;
            }
            catch (IOException ex) when (attempt < DeleteAttempts)
            {
                LogReleaseRetry(table.Id, ex.Message);
                await Task.Delay(DeleteRetryDelay, timeProvider).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                LogReleaseFailed(table.Id, controlFile.Path, ex.Message);
                return;
            }
        }
    }

    private static string Command(string verb, int id) => string.Create(CultureInfo.InvariantCulture, $"{verb} {id}");

    [LoggerMessage(Level = LogLevel.Debug, Message = "Kernel table {TableId} is taken: {Reason}")]
    private partial void LogTaken(int tableId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Claimed kernel forwarding table {TableId} through {ControlFile}; RTP ports {Ports}")]
    private partial void LogClaimed(int tableId, string controlFile, PortRange ports);

    [LoggerMessage(Level = LogLevel.Information, Message = "Released kernel forwarding table {TableId}")]
    private partial void LogReleased(int tableId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Kernel forwarding table {TableId} was already gone")]
    private partial void LogAlreadyReleased(int tableId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Kernel table {TableId} not released yet ({Reason}); trying again")]
    private partial void LogReleaseRetry(int tableId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not release kernel forwarding table {TableId} through {ControlFile}: {Reason}. Delete it by hand (del {TableId}) or it stays taken until the module is reloaded")]
    private partial void LogReleaseFailed(int tableId, string controlFile, string reason);
}

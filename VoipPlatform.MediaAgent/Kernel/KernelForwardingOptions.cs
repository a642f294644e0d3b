namespace VoipPlatform.MediaAgent.Kernel;

/// <summary>
/// How the agent claims one of the kernel module's forwarding tables and which RTP ports go with it (configuration
/// section <c>MediaAgent:Kernel</c>).
/// </summary>
public sealed class KernelForwardingOptions
{
    /// <summary>
    /// The kernel module's control file. Absent when the module is not loaded: then RTPEngine forwards in userspace.
    /// Configurable so tests can point it elsewhere.
    /// </summary>
    public string ControlFile { get; set; } = "/proc/rtpengine/control";

    /// <summary>Where loaded kernel modules appear as directories; tells <c>xt_RTPENGINE</c> from <c>nft_rtpengine</c>.</summary>
    public string ModuleDirectory { get; set; } = "/sys/module";

    /// <summary>First table id the agent tries. The module offers ids 0 to 63.</summary>
    public int FirstTableId { get; set; }

    /// <summary>Last table id the agent tries; lower it to keep ids free for something else on the node.</summary>
    public int LastTableId { get; set; } = 63;

    /// <summary>RTP port range of table 0; table N starts at <c>PortBase + N × PortsPerTable</c>.</summary>
    public int PortBase { get; set; } = 30000;

    /// <summary>Ports per table: 500 ports are 250 RTP/RTCP pairs, and 64 tables end at port 61999.</summary>
    public int PortsPerTable { get; set; } = 500;

    /// <summary>The iptables/ip6tables chain that holds the <c>RTPENGINE</c> rules (<c>xt_RTPENGINE</c>).</summary>
    public string IptablesChain { get; set; } = "rtpengine";

    /// <summary>The nftables base chain RTPEngine hooks its per-table chain into (<c>nft_rtpengine</c>).</summary>
    public string NftablesBaseChain { get; set; } = "INPUT";
}

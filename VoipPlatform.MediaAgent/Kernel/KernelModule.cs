namespace VoipPlatform.MediaAgent.Kernel;

/// <summary>The two generations of RTPEngine's kernel module; they differ in how packets are steered into them.</summary>
public enum KernelModule
{
    /// <summary><c>xt_RTPENGINE</c> (RTPEngine up to 11.x): an iptables/ip6tables rule <c>-j RTPENGINE --id N</c>.</summary>
    Xtables,

    /// <summary><c>nft_rtpengine</c> (RTPEngine 12 on): an nftables chain per table, which RTPEngine itself can manage.</summary>
    Nftables,
}

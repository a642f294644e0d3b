using Microsoft.Extensions.Options;

namespace VoipPlatform.MediaAgent.Kernel;

/// <summary>Tells which RTPEngine kernel module is loaded, from the module directories the kernel lists in sysfs.</summary>
public sealed class KernelModuleDetector(IOptions<MediaAgentOptions> options)
{
    /// <summary>The module's name as the kernel lists it under <c>/sys/module</c>.</summary>
    public const string XtablesModuleName = "xt_RTPENGINE";

    /// <inheritdoc cref="XtablesModuleName"/>
    public const string NftablesModuleName = "nft_rtpengine";

    /// <summary>The loaded module, or null when neither is listed.</summary>
    public KernelModule? Detect()
    {
        string directory = options.Value.Kernel.ModuleDirectory;
        // The newer module first: a node mid-upgrade may still list the old one, and the installed daemon matches the new.
        if (Directory.Exists(Path.Combine(directory, NftablesModuleName))) return KernelModule.Nftables;
        if (Directory.Exists(Path.Combine(directory, XtablesModuleName))) return KernelModule.Xtables;
        return null;
    }

    /// <summary>The kernel's name for <paramref name="module"/>.</summary>
    public static string NameOf(KernelModule module) => module == KernelModule.Nftables ? NftablesModuleName : XtablesModuleName;
}

namespace VoipPlatform.MediaAgent.Kernel;

/// <summary>
/// The RTPEngine kernel module's control file (<c>/proc/rtpengine/control</c>), through which forwarding tables are
/// created (<c>add N</c>) and deleted (<c>del N</c>). The kernel answers each command through the result of its write.
/// </summary>
public interface IKernelControlFile
{
    /// <summary>Where the file is expected.</summary>
    string Path { get; }

    /// <summary>True when the file exists, i.e. the kernel module is loaded.</summary>
    bool Exists { get; }

    /// <summary>Sends one command, e.g. <c>add 3</c>.</summary>
    /// <exception cref="FileNotFoundException">
    /// The command names a table that does not exist (the kernel's ENOENT), or the file itself is gone.
    /// </exception>
    /// <exception cref="IOException">
    /// The kernel refused the command: <c>add</c> of a taken id (EEXIST), <c>del</c> of a table still in use (EBUSY).
    /// </exception>
    /// <exception cref="UnauthorizedAccessException">This process may not write the file.</exception>
    void Write(string command);
}

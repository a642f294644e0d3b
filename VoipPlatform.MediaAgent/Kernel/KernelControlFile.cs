using System.Text;

namespace VoipPlatform.MediaAgent.Kernel;

/// <summary>The real control file: one <c>write(2)</c> per command, as <c>echo 'add 3' &gt; /proc/rtpengine/control</c> does.</summary>
/// <param name="path">The control file's path (<see cref="KernelForwardingOptions.ControlFile"/>).</param>
public sealed class KernelControlFile(string path) : IKernelControlFile
{
    /// <inheritdoc />
    public string Path => path;

    /// <inheritdoc />
    public bool Exists => File.Exists(path);

    /// <inheritdoc />
    public void Write(string command)
    {
        // Unbuffered, so the command leaves in exactly one write and the kernel's refusal (EEXIST, EBUSY, ENOENT)
        // surfaces from this call instead of from a later flush. The module reads a write of 6 to 20 bytes as one
        // command, so the newline also keeps "add 0" above its minimum length.
        var open = new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Write, Share = FileShare.ReadWrite, BufferSize = 0 };
        using var stream = new FileStream(path, open);
        stream.Write(Encoding.ASCII.GetBytes(command + "\n"));
    }
}

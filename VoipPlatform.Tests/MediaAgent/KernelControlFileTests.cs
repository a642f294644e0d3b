using VoipPlatform.MediaAgent.Kernel;

namespace VoipPlatform.Tests.MediaAgent;

/// <summary>The real control-file writer, pointed at ordinary files instead of <c>/proc/rtpengine/control</c>.</summary>
public sealed class KernelControlFileTests
{
    [Fact]
    public void Each_command_is_written_as_one_newline_terminated_line_as_echo_would()
    {
        string path = Path.GetTempFileName();
        try
        {
            var control = new KernelControlFile(path);

            control.Write("add 7");

            Assert.True(control.Exists);
            Assert.Equal("add 7\n", File.ReadAllText(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_missing_control_file_means_no_kernel_module()
    {
        var control = new KernelControlFile(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "control"));

        Assert.False(control.Exists);
        Assert.ThrowsAny<IOException>(() => control.Write("add 0"));
    }

    [Fact]
    public void A_write_the_kernel_refuses_surfaces_as_an_IOException_from_the_write_itself()
    {
        // /dev/full refuses every write (ENOSPC) the way the module refuses a taken id (EEXIST): through write(2).
        var control = new KernelControlFile("/dev/full");

        var error = Assert.ThrowsAny<IOException>(() => control.Write("add 0"));

        Assert.IsNotType<FileNotFoundException>(error);
    }
}

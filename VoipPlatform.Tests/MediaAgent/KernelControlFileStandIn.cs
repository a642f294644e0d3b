using System.Globalization;
using VoipPlatform.MediaAgent.Kernel;

namespace VoipPlatform.Tests.MediaAgent;

/// <summary>
/// Stands in for the RTPEngine kernel module's control file (<c>/proc/rtpengine/control</c>), which this machine cannot
/// have (its kernel loads no modules). It answers like the kernel: <c>add N</c> is refused while table N exists (EEXIST,
/// an <see cref="IOException"/>), <c>del N</c> of a missing table is refused with ENOENT (a
/// <see cref="FileNotFoundException"/>, as .NET reports it) and of a table in use with EBUSY; commands are atomic, so
/// concurrent writers race exactly as they do in the kernel. Every accepted command is appended to a temporary file, in
/// the order the kernel would have applied them.
/// </summary>
public sealed class KernelControlFileStandIn : IKernelControlFile, IDisposable
{
    private readonly Lock _gate = new();
    private readonly HashSet<int> _tables = [];
    private readonly Dictionary<int, int> _busyDeletes = [];
    private readonly string _directory = Directory.CreateTempSubdirectory("kernel-control-stand-in-").FullName;

    /// <summary>The temporary file that records the accepted commands.</summary>
    public string Path => System.IO.Path.Combine(_directory, "control");

    /// <inheritdoc />
    public bool Exists => true;

    /// <summary>The accepted commands, oldest first, as recorded in the temporary file.</summary>
    public IReadOnlyList<string> Commands
    {
        get
        {
            lock (_gate) return File.Exists(Path) ? File.ReadAllLines(Path) : [];
        }
    }

    /// <summary>The tables that exist now.</summary>
    public IReadOnlySet<int> Tables
    {
        get
        {
            lock (_gate) return _tables.ToHashSet();
        }
    }

    /// <summary>Another relay on the node holds <paramref name="id"/>.</summary>
    public void TakenByAnotherRelay(int id)
    {
        lock (_gate) _tables.Add(id);
    }

    /// <summary>The next <paramref name="times"/> <c>del</c> of <paramref name="id"/> are refused as busy, as right after RTPEngine exits.</summary>
    public void BusyFor(int id, int times)
    {
        lock (_gate) _busyDeletes[id] = times;
    }

    /// <inheritdoc />
    public void Write(string command)
    {
        string[] parts = command.Split(' ');
        if (parts.Length != 2 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int id) || id > 63)
        {
            throw new IOException($"Invalid argument: '{command}'");
        }
        lock (_gate)
        {
            switch (parts[0])
            {
                case "add" when !_tables.Add(id):
                    throw new IOException($"File exists: table {id}");
                case "add":
                    break;
                case "del" when !_tables.Contains(id):
                    throw new FileNotFoundException($"No such file or directory: table {id}");
                case "del" when _busyDeletes.TryGetValue(id, out int busy) && busy > 0:
                    _busyDeletes[id] = busy - 1;
                    throw new IOException($"Device or resource busy: table {id}");
                case "del":
                    _tables.Remove(id);
                    break;
                default:
                    throw new IOException($"Invalid argument: '{command}'");
            }
            File.AppendAllLines(Path, [command]);
        }
    }

    /// <inheritdoc />
    public void Dispose() => Directory.Delete(_directory, recursive: true);
}

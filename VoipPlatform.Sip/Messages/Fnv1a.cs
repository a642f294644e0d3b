namespace VoipPlatform.Sip.Messages;

/// <summary>
/// FNV-1a, 64 bit: a stable (not per-process randomized) hash, so that derived values such as stateless
/// branches and To tags come out the same on every replica and after a restart.
/// </summary>
internal static class Fnv1a
{
    public static ulong Hash(ReadOnlySpan<byte> data, ulong seed = 14695981039346656037UL)
    {
        ulong hash = seed;
        foreach (byte b in data)
        {
            hash = (hash ^ b) * 1099511628211UL;
        }
        return hash;
    }

    /// <summary>Writes the hash as 16 lowercase hex digits.</summary>
    public static void WriteHex(ulong hash, Span<byte> destination) => Hex.Write(hash, destination);
}

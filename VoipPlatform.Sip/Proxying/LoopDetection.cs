using VoipPlatform.Sip.Messages;
using VoipPlatform.Sip.Parsing;

namespace VoipPlatform.Sip.Proxying;

/// <summary>
/// Loop detection (RFC 3261 sections 16.3 step 4 and 16.6 step 8). The branch this hop writes starts with a hash of
/// what identifies the request as forwarded: Request-URI, To and From tags, Call-ID, CSeq number, Proxy-Require, the
/// Route set it arrived with, and the branch of the Via it received on top. A request that comes back carrying this
/// hop's Via is a loop when that hash, computed again with the branch just below ours, is unchanged; when something
/// changed it is a spiral, and spirals are fine: a new call comes back with a new Request-URI (a router replaced it
/// with a registered Contact), a request inside a dialog with fewer Route entries (each hop it passed took its own).
/// </summary>
/// <remarks>
/// Only the branch of the received Via counts, not the whole entry: this hop adds <c>received</c>/<c>rport</c> to it
/// on the way, and the RFC's "topmost Via" of a request that comes back is the previous hop's, so neither would ever
/// match.
/// </remarks>
internal static class LoopDetection
{
    /// <summary>Hex digits of the loop hash at the start of a branch, after the magic cookie and "vp".</summary>
    public const int HashDigits = 16;

    /// <summary>Where the hash starts in a branch this hop wrote.</summary>
    public const int HashOffset = 7 + 2;

    /// <summary>The hash of <paramref name="request"/> as received with <paramref name="receivedTopVia"/> on top (below ours once forwarded).</summary>
    public static ulong Hash(SipMessage request, ReadOnlySpan<byte> receivedTopVia)
    {
        ulong hash = Fnv1a.Hash(request[request.RequestUri]);
        hash = Fnv1a.Hash(request.ToTag, hash);
        hash = Fnv1a.Hash(request.FromTag, hash);
        hash = Fnv1a.Hash(request.CallId, hash);
        Span<byte> number = stackalloc byte[20];
        request.CSeqNumber.TryFormat(number, out int written);
        hash = Fnv1a.Hash(number[..written], hash);
        ViaValue via = ViaValue.Parse(receivedTopVia);
        // An RFC 2543 client's Via has no branch: its whole entry stands in.
        hash = Fnv1a.Hash(via.IsValid && !via.Branch.IsEmpty ? via.Branch : receivedTopVia, hash);
        foreach (ref readonly HeaderField header in request.Headers)
        {
            if (header.Kind is HeaderKind.ProxyRequire or HeaderKind.Route) hash = Fnv1a.Hash(request[header.Value], hash);
        }
        return hash;
    }

    /// <summary>True when one of this hop's Vias in <paramref name="request"/> carries the hash the request has now.</summary>
    public static bool IsLooping(SipMessage request, ProxyIdentity self)
    {
        ReadOnlySpan<byte> ownBranch = default;
        bool afterOwn = false;
        foreach (ref readonly HeaderField header in request.Headers)
        {
            if (header.Kind != HeaderKind.Via) continue;
            foreach (ReadOnlySpan<byte> element in new HeaderList(request[header.Value]))
            {
                if (afterOwn && Matches(ownBranch, Hash(request, element))) return true;
                ViaValue via = ViaValue.Parse(element);
                afterOwn = self.IsSelf(via) && via.Branch.Length >= HashOffset + HashDigits;
                ownBranch = afterOwn ? via.Branch : default;
            }
        }
        return false;
    }

    private static bool Matches(ReadOnlySpan<byte> branch, ulong hash)
    {
        Span<byte> expected = stackalloc byte[HashDigits];
        Fnv1a.WriteHex(hash, expected);
        return branch.Slice(HashOffset, HashDigits).SequenceEqual(expected);
    }
}

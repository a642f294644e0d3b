using System.Net;

namespace VoipPlatform.Sip.Transport;

/// <summary>Decides whether the service may send to an address: the guard against being used as a reflector.</summary>
public sealed class EgressPolicy
{
    private static readonly IPNetwork[] LoopbackOnly = [IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("::1/128")];
    private readonly IPNetwork[] _allowed;

    /// <summary>Creates the policy from CIDR strings; an empty list allows loopback only.</summary>
    /// <exception cref="FormatException">An entry is not a CIDR network.</exception>
    public EgressPolicy(IEnumerable<string> allowedNetworks)
    {
        var parsed = new List<IPNetwork>();
        foreach (string entry in allowedNetworks)
        {
            if (!IPNetwork.TryParse(entry.Trim(), out IPNetwork network))
            {
                throw new FormatException($"Sip:EgressAllowList entry '{entry}' is not a network in CIDR form (e.g. 10.0.0.0/8).");
            }
            parsed.Add(network);
        }
        _allowed = parsed.Count == 0 ? LoopbackOnly : [.. parsed];
    }

    /// <summary>The networks in force.</summary>
    public IReadOnlyList<IPNetwork> AllowedNetworks => _allowed;

    /// <summary>True when the address lies in an allowed network.</summary>
    public bool Allows(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        foreach (IPNetwork network in _allowed)
        {
            if (network.Contains(address)) return true;
        }
        return false;
    }
}

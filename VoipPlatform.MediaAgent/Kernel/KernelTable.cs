namespace VoipPlatform.MediaAgent.Kernel;

/// <summary>A forwarding table this agent claimed, and the RTP ports that belong to it.</summary>
/// <param name="Id">Table id, 0 to 63.</param>
/// <param name="Ports">The port range derived from the id, disjoint from every other table's.</param>
public sealed record KernelTable(int Id, PortRange Ports);

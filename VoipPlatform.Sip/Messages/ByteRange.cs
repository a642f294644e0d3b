namespace VoipPlatform.Sip.Messages;

/// <summary>A slice of a message buffer, kept as offsets so that parsing allocates no strings.</summary>
public readonly record struct ByteRange(int Start, int Length)
{
    /// <summary>True when the range selects no bytes.</summary>
    public bool IsEmpty => Length == 0;

    /// <summary>Offset one past the last byte.</summary>
    public int End => Start + Length;
}

using System.Text;
using VoipPlatform.Sip.Messages;
using VoipPlatform.Sip.Parsing;

namespace VoipPlatform.Sip.Transactions;

/// <summary>
/// Builds the keys that match messages to transactions (RFC 3261 sections 17.1.3 and 17.2.3) into a caller's
/// buffer, so that a lookup allocates nothing; only a new transaction turns its key into a string.
/// </summary>
internal static class TransactionKeys
{
    public const int MaxLength = 1024;

    /// <summary>
    /// Server key: branch, sent-by and method, with ACK matching INVITE. Requests without the magic cookie use
    /// the RFC 2543 fields instead (Call-ID, CSeq number, From tag, sent-by). <paramref name="matchInviteFor"/>
    /// forces the INVITE method, for CANCEL looking up the transaction it cancels.
    /// </summary>
    public static int WriteServerKey(SipMessage request, Span<char> destination, bool matchInviteFor = false)
    {
        ViaValue via = request.TopVia;
        var w = new KeyWriter(destination);
        if (via.HasRfc3261Branch)
        {
            w.Append(via.Branch);
        }
        else
        {
            w.Append("2543|"u8);
            w.Append(request.CallId);
            w.Append((byte)'|');
            w.Append(request.FromTag);
            w.Append((byte)'|');
            w.Append(request.CSeqNumber);
        }
        w.Append((byte)'|');
        w.Append(via.Host);
        w.Append((byte)':');
        w.Append(via.Port);
        w.Append((byte)'|');
        bool invite = matchInviteFor || request.Method is SipMethod.Invite or SipMethod.Ack;
        w.Append(invite ? "INVITE"u8 : request[request.MethodToken]);
        return w.Length;
    }

    /// <summary>Client key: the branch this hop put in its Via, plus the method for CANCEL (which reuses the INVITE's branch).</summary>
    public static int WriteClientKey(ReadOnlySpan<byte> branch, bool isCancel, Span<char> destination)
    {
        var w = new KeyWriter(destination);
        w.Append(branch);
        if (isCancel) w.Append("|CANCEL"u8);
        return w.Length;
    }

    private ref struct KeyWriter(Span<char> destination)
    {
        private readonly Span<char> _destination = destination;
        public int Length { get; private set; }

        public void Append(ReadOnlySpan<byte> ascii)
        {
            if (Length + ascii.Length > _destination.Length) { Length = _destination.Length + 1; return; }
            Length += Encoding.Latin1.GetChars(ascii, _destination[Length..]);
        }

        public void Append(byte b)
        {
            if (Length + 1 > _destination.Length) { Length = _destination.Length + 1; return; }
            _destination[Length++] = (char)b;
        }

        public void Append(long number)
        {
            if (Length + 20 > _destination.Length) { Length = _destination.Length + 1; return; }
            number.TryFormat(_destination[Length..], out int written);
            Length += written;
        }
    }
}

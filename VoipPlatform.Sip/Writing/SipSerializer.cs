using VoipPlatform.Sip.Messages;

namespace VoipPlatform.Sip.Writing;

/// <summary>Writes a parsed <see cref="SipMessage"/> back to canonical bytes (CRLF line ends, folded values on one line).</summary>
public static class SipSerializer
{
    /// <summary>Serializes the message; header names and values are copied as written.</summary>
    public static OutgoingMessage Serialize(SipMessage message)
    {
        var writer = new SipWriter(message.Length + 64);
        if (message.IsRequest)
        {
            writer.Write(message[message.MethodToken]);
            writer.Write((byte)' ');
            writer.Write(message[message.RequestUri]);
            writer.Write(" SIP/2.0\r\n"u8);
        }
        else
        {
            writer.Write("SIP/2.0 "u8);
            writer.Write(message.StatusCode);
            writer.Write((byte)' ');
            writer.Write(message[message.ReasonPhrase]);
            writer.WriteCrlf();
        }

        foreach (ref readonly HeaderField header in message.Headers)
        {
            writer.WriteHeader(message[header.Name], message[header.Value]);
        }
        writer.WriteCrlf();
        writer.Write(message[message.Body]);
        return writer.Complete();
    }
}

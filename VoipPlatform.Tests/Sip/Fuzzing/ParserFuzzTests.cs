using FsCheck;
using FsCheck.Fluent;
using VoipPlatform.Sip.Messages;
using VoipPlatform.Sip.Parsing;
using VoipPlatform.Sip.Writing;
using VoipPlatform.Tests.Infrastructure;

namespace VoipPlatform.Tests.Sip.Fuzzing;

/// <summary>
/// Property-based fuzzing (FsCheck): real messages and the RFC 4475 set, mutated byte by byte, through everything
/// the core does with a datagram before routing. The only acceptable failure is the parser's own refusal: no
/// exception, and anything that parses can be answered, relayed and re-serialized into something that parses.
/// Bounded (a fixed number of cases) so CI time stays flat.
/// </summary>
public class ParserFuzzTests
{
    private const int Cases = 4000;

    private static readonly byte[][] Seeds =
    [
        .. new[] { SipSamples.InviteWithSdp, SipSamples.Ringing, SipSamples.Ok, SipSamples.Ack, SipSamples.Bye, SipSamples.Cancel, SipSamples.CompactRegisterWithFolding }
            .Select(SipSamples.Bytes),
        .. TortureMessages.All.Select(c => c.Bytes),
    ];

    /// <summary>Bytes that matter to a SIP parser, so mutations hit delimiters rather than random noise only.</summary>
    private static readonly byte[] Interesting = "\r\n \t:;,=<>\"\\/@?%0123456789SIPsip-"u8.ToArray().Concat(new byte[] { 0, 0x7F, 0xFF }).ToArray();

    private static Gen<byte[]> Mutated() =>
        from seed in Gen.Elements(Seeds)
        from edits in Gen.Choose(1, 8)
        from ops in Gen.ArrayOf(Gen.Choose(0, 4), edits)
        from positions in Gen.ArrayOf(Gen.Choose(0, 1 << 20), edits)
        from values in Gen.ArrayOf(Gen.Elements(Interesting), edits)
        select Apply(seed, ops, positions, values);

    private static byte[] Apply(byte[] seed, int[] ops, int[] positions, byte[] values)
    {
        var bytes = new List<byte>(seed);
        for (int i = 0; i < ops.Length && bytes.Count > 0; i++)
        {
            int at = positions[i] % bytes.Count;
            switch (ops[i])
            {
                case 0: bytes[at] = values[i]; break;                                        // replace
                case 1: bytes.Insert(at, values[i]); break;                                  // insert
                case 2: bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + positions[i] % 7)); break; // delete a run
                case 3: bytes.InsertRange(at, bytes.GetRange(at, Math.Min(bytes.Count - at, 40))); break; // duplicate
                case 4: bytes.RemoveRange(at, bytes.Count - at); break;                      // truncate
            }
        }
        return [.. bytes];
    }

    [Fact]
    public void Mutated_messages_are_refused_or_handled_end_to_end_without_exceptions()
    {
        Prop.ForAll(Mutated().ToArbitrary(), (byte[] datagram) => ExerciseCore(datagram))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(Cases).WithQuietOnSuccess(true));
    }

    [Fact]
    public void Random_bytes_never_throw()
    {
        Prop.ForAll(Gen.ArrayOf(Gen.Elements(Interesting)).ToArbitrary(), (byte[] datagram) => ExerciseCore(datagram))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(Cases).WithQuietOnSuccess(true));
    }

    private static bool ExerciseCore(byte[] datagram)
    {
        if (SipParser.TryParse(datagram, out SipMessage? message, out _) != SipParseStatus.Ok) return true;
        using (message)
        {
            ViaValue via = message!.TopVia;
            _ = message.CallId.Length + message.ToTag.Length + message.FromTag.Length;
            _ = SipUri.Parse(message[message.RequestUri]).IsValid;

            using OutgoingMessage serialized = SipSerializer.Serialize(message);
            if (SipParser.TryParse(serialized.Bytes, out SipMessage? again, out string reason) != SipParseStatus.Ok)
            {
                throw new InvalidOperationException($"re-serialized message does not parse: {reason}");
            }
            again!.Dispose();

            if (message.IsRequest)
            {
                if (via.IsValid)
                {
                    using OutgoingMessage answer = ResponseBuilder.Build(message, SipStatus.BadRequest);
                    using OutgoingMessage forwarded = ProxyRewriter.ForwardRequest(message, new ForwardedRequest
                    {
                        ViaSentBy = "127.0.0.1:5060"u8,
                        Branch = "z9hG4bKfuzz"u8,
                        SourceAddress = "127.0.0.1"u8,
                        SourcePort = 5999,
                        RemoveTopRoute = true,
                        RecordRouteUri = "sip:127.0.0.1:5060;lr"u8,
                    });
                    using OutgoingMessage ack = ProxyRewriter.BuildAck(message, message);
                    using OutgoingMessage cancel = ProxyRewriter.BuildCancel(message);
                }
            }
            else
            {
                using OutgoingMessage relayed = ProxyRewriter.ForwardResponse(message);
            }
        }
        return true;
    }
}
